package io.herald.container;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.testing.ClusterNodes;
import io.herald.testing.RedisForContainers;
import io.herald.testing.HeraldServer;
import io.herald.testing.Tokens;
import io.herald.testing.WsClient;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster path inside an app server: the WAR, deployed on Payara or WildFly against the Redis
 * that {@link RedisForContainers} started, and a standalone launcher process on the same Redis are
 * two nodes of one cluster (SPEC section 7): one seq, one history, presence across both.
 */
@ExtendWith(ArquillianExtension.class)
class WarOnRedisIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.WAIT).build();
    private static ClusterNodes standalone;

    @Deployment(testable = false)
    static WebArchive herald() {
        File war = new File(System.getProperty("herald.war", "target/herald.war"));
        return ShrinkWrap.create(ZipImporter.class, "herald.war").importFrom(war).as(WebArchive.class);
    }

    @ArquillianResource
    private URL base;

    @BeforeAll
    static void startStandaloneNode() {
        String redis = System.getProperty(RedisForContainers.URL_PROPERTY);
        assertTrue(redis != null, "the container executions start Redis (-Dherald.test.redis=true)");
        standalone = ClusterNodes.startOn(redis, 1);
    }

    @AfterAll
    static void stopStandaloneNode() {
        if (standalone != null) {
            standalone.close();
        }
    }

    private WsClient warClient(String path) {
        WsClient client = WsClient.connect(URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/herald/ws/" + path
                + "?access_token=" + Tokens.token("war-user", HeraldServer.USER_SCOPE)));
        client.next("welcome");
        return client;
    }

    private HttpResponse<String> warPublish(String topic, String data) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":" + base.getPort()
                + "/herald/api/topics/" + topic + "/messages")).timeout(WsClient.WAIT)
                .header("Authorization", "Bearer " + Tokens.token("backend", "admin"))
                .POST(HttpRequest.BodyPublishers.ofString(data)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theWarAndAStandaloneNodeShareTopicsHistoryAndPresence() throws Exception {
        ClusterNodes.Node node = standalone.node(0);
        String topic = "war.cluster";
        try (WsClient inWar = warClient("push"); WsClient onNode = standalone.connect(node, "push", "reader")) {
            String epoch = inWar.subscribe(topic).next("subscribed").path("epoch").asText();
            assertEquals(epoch, onNode.subscribe(topic).next("subscribed").path("epoch").asText(), "one stream");

            HttpResponse<String> fromWar = warPublish(topic, "{\"via\":\"war\"}");
            assertEquals(202, fromWar.statusCode(), fromWar::body);
            HttpResponse<String> fromNode = standalone.publish(node, topic, "{\"via\":\"standalone\"}");
            assertEquals(202, fromNode.statusCode(), fromNode::body);
            assertEquals(2, WsClient.parse(fromNode.body()).path("seq").asLong(), "one sequence");
            for (WsClient client : List.of(inWar, onNode)) {
                List<JsonNode> messages = client.messages(2);
                assertEquals("war", messages.get(0).path("data").path("via").asText());
                assertEquals("standalone", messages.get(1).path("data").path("via").asText());
            }
        }
        try (WsClient back = warClient("push")) {
            back.send(json().put("type", "subscribe").put("topic", topic).put("since", 1).put("epoch",
                    WsClient.parse(standalone.rest(node, "GET", "/api/topics/" + topic + "/messages", null).body())
                            .path("epoch").asText()));
            assertTrue(back.next("subscribed").path("recovered").asBoolean());
            assertEquals("standalone", back.next("message").path("data").path("via").asText());
        }
        try (WsClient inWar = warClient("chat/war-room")) {
            inWar.next("presence");
            try (WsClient onNode = standalone.connect(node, "chat/war-room", "visitor")) {
                assertEquals(2, onNode.next("presence").path("members").size());
                String visitor = inWar.next("presence").path("user").asText();
                assertEquals("leave", leaveOf(inWar, visitor, onNode));
            }
        }
    }

    /** Closes {@code leaving} and answers the event the WAR's member then sees for {@code user}. */
    private static String leaveOf(WsClient observer, String user, WsClient leaving) {
        leaving.close();
        JsonNode event = observer.next("presence");
        assertEquals(user, event.path("user").asText());
        return event.path("event").asText();
    }

    @Test
    void theWarIsHealthyOnRedis() throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":"
                + base.getPort() + "/herald/api/health")).timeout(WsClient.WAIT).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health::body);
    }
}
