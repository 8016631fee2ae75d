package io.herald.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.herald.core.HistoryPage;
import io.herald.core.Message;
import io.herald.protocol.ClientFrame.Invalid;
import io.herald.protocol.ServerFrame.Delivery;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Reads client frames and writes server frames as JSON. Reading never throws: anything that is not
 * a well-formed frame becomes {@link Invalid} with a reason a client author can act on.
 */
public final class FrameCodec {

    /** Deeper JSON than this is refused: it only serves to exhaust the stack of whoever parses it. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest client {@code id} echoed back; a longer one makes the frame invalid. */
    public static final int MAX_ID_LENGTH = 256;

    private final ObjectMapper mapper;

    public FrameCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        // Numbers keep their exact text on the way through: data is the client's, not ours to round.
        mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    // ---------------------------------------------------------------- reading

    /** Parses any JSON text into compact JSON text; null if it is not JSON. */
    public String compactJson(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node == null || node.isMissingNode() ? null : mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses a JSON object into plain Java values (String, BigDecimal, List, Map…); null if it is not one. */
    public Map<String, Object> readObject(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? mapper.convertValue(node, new TypeReference<>() { }) : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Reads a frame, unless its UTF-8 form is longer than {@code maxBytes}. */
    public ClientFrame decode(String text, int maxBytes) {
        // a char is at most 3 bytes in UTF-8, so most frames need no counting
        if ((long) text.length() * 3 > maxBytes) {
            long bytes = utf8Length(text);
            if (bytes > maxBytes) {
                return new ClientFrame.TooLarge(bytes);
            }
        }
        return decode(text);
    }

    /** The length of {@code text} encoded as UTF-8 (a surrogate pair, two chars, is 4 bytes). */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    public ClientFrame decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return new Invalid(notJson(e), null, null);
        }
        if (root == null || !root.isObject()) {
            return new Invalid("frame must be a JSON object", null, null);
        }
        JsonNode idNode = root.get("id");
        JsonNode topicNode = root.get("topic");
        String topic = topicNode != null && topicNode.isTextual() && topicNode.textValue().length() <= MAX_ID_LENGTH
                ? topicNode.textValue() : null;
        if (idNode != null && !(idNode.isTextual() && idNode.textValue().length() <= MAX_ID_LENGTH)) {
            return new Invalid("\"id\" must be a string of at most " + MAX_ID_LENGTH + " characters", null, topic);
        }
        String id = idNode == null ? null : idNode.textValue();
        JsonNode type = root.get("type");
        if (type == null || !type.isTextual()) {
            return new Invalid("\"type\" is missing or not a string", id, topic);
        }
        return switch (type.textValue()) {
            case "subscribe" -> subscribe(root, id, topic);
            case "unsubscribe" -> topicNode == null || topicNode.isNull()
                    ? new Invalid("\"topic\" is required", id, null)
                    : requireString(topicNode, "topic", id, topic, t -> new ClientFrame.Unsubscribe(t, id));
            case "publish" -> publish(root, id, topic);
            case "ping" -> new ClientFrame.Ping(id);
            default -> new Invalid("unknown type \"" + abbreviate(type.textValue()) + "\"", id, topic);
        };
    }

    /**
     * Why a frame is not JSON, in words of the protocol: where the text goes wrong, never the
     * parser's own message, which names its classes and options and quotes the client's text.
     */
    private static String notJson(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            return "frame goes past the JSON limits: nesting at most " + MAX_NESTING_DEPTH + " levels, numbers at most "
                    + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits";
        }
        if (e instanceof JsonEOFException) {
            return "frame is not valid JSON: it ends too early";
        }
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "frame is not valid JSON"
                : "frame is not valid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private ClientFrame subscribe(JsonNode root, String id, String topic) {
        JsonNode topicNode = root.get("topic");
        if (topicNode == null || !topicNode.isTextual()) {
            return new Invalid("\"topic\" is required and must be a string", id, topic);
        }
        JsonNode sinceNode = root.get("since");
        Long since = null;
        if (sinceNode != null && !sinceNode.isNull()) {
            if (!sinceNode.isIntegralNumber() || !sinceNode.canConvertToLong() || sinceNode.longValue() < 0) {
                return new Invalid("\"since\" must be a non-negative integer", id, topic);
            }
            since = sinceNode.longValue();
        }
        JsonNode epochNode = root.get("epoch");
        if (epochNode != null && !epochNode.isNull() && !epochNode.isTextual()) {
            return new Invalid("\"epoch\" must be a string", id, topic);
        }
        String epoch = epochNode == null ? null : epochNode.textValue();
        return new ClientFrame.Subscribe(topicNode.textValue(), since, epoch, id);
    }

    private ClientFrame publish(JsonNode root, String id, String topic) {
        JsonNode topicNode = root.get("topic");
        if (topicNode != null && !topicNode.isNull() && !topicNode.isTextual()) {
            return new Invalid("\"topic\" must be a string", id, null);
        }
        JsonNode data = root.get("data");
        if (data == null) {
            return new Invalid("\"data\" is required", id, topic);
        }
        try {
            return new ClientFrame.Publish(topicNode == null ? null : topicNode.textValue(),
                    mapper.writeValueAsString(data), id);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("re-encoding a parsed tree cannot fail", e);
        }
    }

    private interface FromString {
        ClientFrame make(String value);
    }

    private static ClientFrame requireString(JsonNode node, String field, String id, String topic, FromString make) {
        if (!node.isTextual()) {
            return new Invalid("\"" + field + "\" must be a string", id, topic);
        }
        return make.make(node.textValue());
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    // ---------------------------------------------------------------- writing

    /** The JSON body of an HTTP error answer: {@code {"error":"code","message":"..."}}. */
    public String errorBody(ErrorCode code, String message) {
        return mapper.createObjectNode().put("error", code.wire()).put("message", message).toString();
    }

    /** The answer to an API publish: {@code {"topic","seq","id"}}. */
    public String publishedBody(Message m) {
        return mapper.createObjectNode().put("topic", m.topic()).put("seq", m.seq()).put("id", m.id()).toString();
    }

    /** A history answer: {@code {"topic","seq","epoch","messages":[message frames]}}. */
    public String historyBody(HistoryPage page) {
        StringWriter out = new StringWriter(256 + page.messages().size() * 128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("topic", page.topic());
            g.writeNumberField("seq", page.latestSeq());
            g.writeStringField("epoch", page.epoch());
            g.writeArrayFieldStart("messages");
            for (Message m : page.messages()) {
                g.writeStartObject();
                new Delivery(m, null).writeFields(g);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toString();
    }

    /** A health answer: {@code {"status":"UP"}} or {@code {"status":"DOWN","reason":...}}. */
    public String healthBody(String problem) {
        var body = mapper.createObjectNode().put("status", problem == null ? "UP" : "DOWN");
        if (problem != null) {
            body.put("reason", problem);
        }
        return body.toString();
    }

    /** Encodes any value the application hands over (a map, a record, a string…) as JSON text. */
    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getName() + " as JSON", e);
        }
    }

    /** Makes a message frame and encodes it, once, for every subscriber it will go to. */
    public Delivery delivery(Message m) {
        return new Delivery(m, write(new Delivery(m, null)));
    }

    public String encode(ServerFrame frame) {
        return frame instanceof Delivery d && d.json() != null ? d.json() : write(frame);
    }

    private String write(ServerFrame frame) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            frame.writeFields(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toString();
    }
}
