package io.herald.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.herald.core.Message;
import io.herald.protocol.ClientFrame.Invalid;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void readsASubscribeWithEveryField() {
        assertEquals(new ClientFrame.Subscribe("orders.42", 17L, "k3x9", "s-1"),
                codec.decode("{\"type\":\"subscribe\",\"topic\":\"orders.42\",\"since\":17,\"epoch\":\"k3x9\",\"id\":\"s-1\"}"));
        assertEquals(new ClientFrame.Subscribe("t", null, null, null), codec.decode("{\"type\":\"subscribe\",\"topic\":\"t\"}"));
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertEquals(new ClientFrame.Ping("p"), codec.decode("{\"type\":\"ping\",\"id\":\"p\",\"extra\":{\"x\":[1]}}"));
    }

    @Test
    void publishKeepsTheDataExactlyAsJson() {
        ClientFrame frame = codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"data\":{\"price\":10.50,\"big\":123456789012345678901234567890,\"s\":\"é\\u00e9\"},\"id\":\"c\"}");
        assertEquals(new ClientFrame.Publish("t", "{\"price\":10.50,\"big\":123456789012345678901234567890,\"s\":\"éé\"}", "c"), frame);
        assertEquals(new ClientFrame.Publish("t", "null", null), codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"data\":null}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json", "[1,2]", "\"text\"", "{}", "{\"type\":7}", "{\"type\":\"dance\"}",
        "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"topic\":5}",
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":-1}",
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":1.5}",
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":\"3\"}",
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":99999999999999999999999}",
        "{\"type\":\"subscribe\",\"topic\":\"t\",\"epoch\":1}",
        "{\"type\":\"unsubscribe\"}", "{\"type\":\"publish\",\"topic\":\"t\"}",
        "{\"type\":\"ping\",\"id\":5}", "{\"type\":\"publish\",\"topic\":\"t\",\"data\":1",
    })
    void anythingThatIsNotAWellFormedFrameIsInvalidWithAReason(String text) {
        Invalid invalid = assertInstanceOf(Invalid.class, codec.decode(text));
        assertTrue(!invalid.reason().isBlank());
    }

    @Test
    void anInvalidFrameKeepsItsIdAndTopicForTheAnswer() {
        Invalid invalid = assertInstanceOf(Invalid.class,
                codec.decode("{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":-5,\"id\":\"x\"}"));
        assertEquals("x", invalid.id());
        assertEquals("t", invalid.topic());
        Invalid unknown = assertInstanceOf(Invalid.class, codec.decode("{\"type\":\"nope\",\"id\":\"y\"}"));
        assertEquals("y", unknown.id());
        assertNull(unknown.topic());
    }

    @Test
    void deeplyNestedJsonIsRefusedNotRecursedInto() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        Invalid invalid = assertInstanceOf(Invalid.class,
                codec.decode("{\"type\":\"publish\",\"topic\":\"t\",\"data\":" + deep + "}"));
        assertEquals("frame goes past the JSON limits: nesting at most 64 levels, numbers at most 1000 digits",
                invalid.reason());
    }

    @Test
    void textThatIsNotJsonIsAnsweredWithWhereItGoesWrongNotWithTheParsersWords() {
        assertEquals("frame is not valid JSON at line 1, column 11",
                ((Invalid) codec.decode("{\"type\": x}")).reason());
        assertEquals("frame is not valid JSON at line 2, column 2",
                ((Invalid) codec.decode("{\"type\":\"ping\",\n ]")).reason());
        assertEquals("frame is not valid JSON: it ends too early",
                ((Invalid) codec.decode("{\"type\":\"ping\"")).reason());
        for (String text : List.of("not json", "{'type':'ping'}", "{\"a\":1 \"b\":2}", "{\"a\":\"\u0001\"}",
                "{\"a\":01}", "{\"a\":" + "9".repeat(2000) + "}", "{\"a\":NaN}", "\u00ff")) {
            String reason = ((Invalid) codec.decode(text)).reason();
            for (String internal : List.of("Jackson", "jackson", "com.fasterxml", "Unexpected character", "Unrecognized",
                    "token", "StreamReadConstraints", "JsonReadFeature", "was expecting", "(code ")) {
                assertTrue(!reason.contains(internal), text + " -> " + reason);
            }
        }
    }

    @Test
    void aMessageIsEncodedOnceWithTheDataAsIs() {
        Message m = new Message("t", 58, "id1", 1764079000123L, "alice", "{\"a\":[1,2.50]}");
        ServerFrame.Delivery delivery = codec.delivery(m);
        String expected = "{\"type\":\"message\",\"topic\":\"t\",\"seq\":58,\"id\":\"id1\",\"time\":1764079000123,"
                + "\"from\":\"alice\",\"data\":{\"a\":[1,2.50]}}";
        assertEquals(expected, delivery.json());
        assertTrue(delivery.json() == codec.encode(delivery), "encode reuses the encoded text");
    }

    @Test
    void optionalFieldsAreLeftOutWhenAbsent() {
        assertEquals("{\"type\":\"ack\",\"topic\":\"t\",\"seq\":3}", codec.encode(new ServerFrame.Ack(null, "t", 3)));
        assertEquals("{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"m\",\"id\":\"i\",\"topic\":\"t\"}",
                codec.encode(new ServerFrame.Error(ErrorCode.BAD_REQUEST, "m", "i", "t")));
        assertEquals("{\"type\":\"presence\",\"topic\":\"chat.x\",\"members\":[\"a\",\"b\"]}",
                codec.encode(new ServerFrame.PresenceSnapshot("chat.x", List.of("a", "b"))));
        assertEquals("{\"type\":\"presence\",\"topic\":\"chat.x\",\"event\":\"leave\",\"user\":\"a\"}",
                codec.encode(new ServerFrame.PresenceEvent("chat.x", false, "a")));
        assertEquals("{\"type\":\"subscribed\",\"topic\":\"t\",\"seq\":0,\"epoch\":\"e\",\"recovered\":false}",
                codec.encode(new ServerFrame.Subscribed("t", 0, "e", false, null)));
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("{\"type\":\"pong\",\"id\":\"a\\\"b\\n\"}", codec.encode(new ServerFrame.Pong("a\"b\n")));
    }

    @Test
    void aFrameOverTheByteLimitIsTooLargeCountingUtf8Bytes() {
        String ascii = "{\"type\":\"ping\",\"id\":\"" + "a".repeat(100) + "\"}";
        assertInstanceOf(ClientFrame.Ping.class, codec.decode(ascii, ascii.length()));
        assertEquals(new ClientFrame.TooLarge(ascii.length()), codec.decode(ascii, ascii.length() - 1));
        String wide = "é€😀"; // 2 + 3 + 4 bytes
        assertEquals(9, FrameCodec.utf8Length(wide));
        assertEquals(new ClientFrame.TooLarge(9), codec.decode(wide, 8));
    }
}
