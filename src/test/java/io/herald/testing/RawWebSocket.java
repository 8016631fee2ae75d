package io.herald.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client at the byte level, for what well-behaved clients cannot do: invalid UTF-8,
 * frames split anyhow, clients that stop reading. Reads are bounded by a socket timeout.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** A frame from the server. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String head;

    private RawWebSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.head = head;
    }

    /** Opens a connection and performs the handshake; see {@link #status()} for the answer. */
    public static RawWebSocket open(int port, String path, int receiveBuffer) throws IOException {
        return open(port, path, receiveBuffer, new String[0]);
    }

    /** Performs a handshake with extra header lines such as {@code "Origin: https://example.com"}. */
    public static RawWebSocket open(int port, String path, String... headerLines) throws IOException {
        return open(port, path, 0, headerLines);
    }

    private static RawWebSocket open(int port, String path, int receiveBuffer, String[] headerLines) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout((int) WsClient.WAIT.toMillis());
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + String.join("", java.util.Arrays.stream(headerLines).map(h -> h + "\r\n").toList())
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        return new RawWebSocket(socket, readHead(socket.getInputStream()));
    }

    public static RawWebSocket open(int port, String path) throws IOException {
        return open(port, path, 0, new String[0]);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** The HTTP status of the handshake: 101 when upgraded. */
    public int status() {
        return Integer.parseInt(head.split(" ", 3)[1]);
    }

    /** A header of the handshake's answer (first one, case-insensitive), or null. */
    public String head() {
        return head;
    }

    public String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** The body of a refused handshake's answer, as long as its Content-Length says. */
    public String body() throws IOException {
        byte[] body = new byte[Integer.parseInt(header("Content-Length"))];
        in.readFully(body);
        return new String(body, StandardCharsets.UTF_8);
    }

    /** True when the server has closed the TCP connection (end of stream or reset), reading what is left. */
    public boolean serverHasClosed() {
        try {
            byte[] drain = new byte[65536];
            while (in.read(drain) >= 0) {
                // skip whatever was still on its way
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Sends one masked frame. */
    public void send(int opcode, byte[] payload, boolean fin) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.writeBytes(header(opcode, fin, payload.length, mask));
        byte[] masked = payload.clone();
        for (int i = 0; i < masked.length; i++) {
            masked[i] ^= mask[i & 3];
        }
        frame.writeBytes(masked);
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * Sends only a frame's header, which declares {@code length} payload bytes (any 64-bit value,
     * even one RFC 6455 forbids). Its masking key is zero, so that its payload, if any, follows as
     * it is with {@link #write(byte[])}.
     */
    public void sendHeader(int opcode, boolean fin, long length) throws IOException {
        write(header(opcode, fin, length, new byte[4]));
    }

    /** Sends one frame without a masking key, which only a server may do (RFC 6455 section 5.1). */
    public void sendUnmasked(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
        frame.writeBytes(header(opcode, fin, payload.length, null));
        frame.writeBytes(payload);
        write(frame.toByteArray());
    }

    /** A frame header (RFC 6455 section 5.2) declaring {@code length}; masked when there is a {@code mask}. */
    private static byte[] header(int opcode, boolean fin, long length, byte[] mask) {
        ByteArrayOutputStream header = new ByteArrayOutputStream(14);
        header.write((fin ? 0x80 : 0) | opcode);
        int masked = mask != null ? 0x80 : 0;
        if (length >= 0 && length < 126) {
            header.write(masked | (int) length);
        } else if (length >= 0 && length <= 0xffff) {
            header.write(masked | 126);
            header.write((int) (length >>> 8));
            header.write((int) (length & 0xff));
        } else {
            header.write(masked | 127);
            header.writeBytes(ByteBuffer.allocate(8).putLong(length).array());
        }
        if (mask != null) {
            header.writeBytes(mask);
        }
        return header.toByteArray();
    }

    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** Writes raw bytes, e.g. part of a frame. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server. */
    public Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until the server's close frame and returns its code; -1 if the socket just ends. */
    public int readUntilClose() throws IOException {
        try {
            while (true) {
                Frame frame = read();
                if (frame.opcode() == CLOSE) {
                    return frame.closeCode();
                }
            }
        } catch (EOFException | SocketTimeoutException e) {
            return -1;
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
