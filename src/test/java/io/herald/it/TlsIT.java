package io.herald.it;

import static io.herald.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.testing.HeraldServer;
import io.herald.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher with HERALD_TLS_KEYSTORE: wss:// and https:// on its one port, with a keystore made here. */
class TlsIT {

    private static final String PASSWORD = "keystore-pass";

    /** A self-signed certificate for 127.0.0.1, made as an operator would, with the JDK's keytool. */
    private static Path keystore(Path dir) throws Exception {
        Path keystore = dir.resolve("herald.p12");
        Process keytool = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "herald", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), output);
        return keystore;
    }

    /** A client that trusts that one certificate, and checks the host name as always. */
    private static HttpClient trusting(Path keystore) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            trusted.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).build();
    }

    @Test
    void wssAndHttpsServeOnTheOnePort(@TempDir Path dir) throws Exception {
        Path keystore = keystore(dir);
        HttpClient client = trusting(keystore);
        try (HeraldServer server = HeraldServer.start("HERALD_TLS_KEYSTORE", keystore.toString(),
                "HERALD_TLS_PASSWORD", PASSWORD, "HERALD_MAX_MESSAGE_BYTES", "1024")) {
            URI push = server.ws("push", "secure-user", null);
            assertEquals("wss", push.getScheme());
            try (WsClient subscriber = WsClient.connect(push, client)) {
                assertEquals("secure-user", subscriber.next("welcome").get("user").asText());
                subscriber.subscribe("secure.news").next("subscribed");
                HttpResponse<String> published = client.send(server.api("/topics/secure.news/messages")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"over\":\"tls\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, published.statusCode(), published.body());
                assertEquals("tls", subscriber.next("message").get("data").get("over").asText());
                subscriber.send(json().put("type", "ping").put("id", "p"));
                assertEquals("p", subscriber.next("pong").get("id").asText());
            }
            try (WsClient oversized = WsClient.connect(push, client)) {
                oversized.next("welcome");
                // refused at the frame's header, which the launcher reads decrypted; the close goes back encrypted
                oversized.publish("secure.news", json().put("blob", "x".repeat(2000)), null);
                assertEquals(1009, oversized.awaitClose());
                assertEquals("message over 1024 bytes", oversized.closeReason());
            }
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(server.http("/herald/herald.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());

            // plain HTTP on a TLS port gets nowhere, and a client that does not trust the certificate is refused
            HttpClient plain = HttpClient.newHttpClient();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/herald/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(server.http("/herald/api/health"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
    }
}
