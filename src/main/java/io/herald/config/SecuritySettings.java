package io.herald.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SPEC section 5's settings: how tokens are verified, which origins may connect, and the launcher's
 * TLS. Checked at start-up like every other setting, so a short secret or an unreadable key stops
 * Herald instead of admitting or refusing clients for a reason nobody sees.
 *
 * @param hmacSecret HS256 key; null when tokens are verified with {@code publicKey} or not at all
 * @param publicKey RS256 (RSA) or ES256 (EC P-256) key; null when HS256 or none
 * @param generatedSecret whether {@code hmacSecret} was made up at start (dev mode)
 * @param issuer required {@code iss}, or null
 * @param audience required {@code aud}, or null
 * @param allowedOrigins normalised {@code scheme://host[:port]}, {@code *} or {@code null}; empty
 *     means the default: same host and port as the request, or no Origin at all
 * @param tls null when the launcher serves plain HTTP
 */
public record SecuritySettings(
        byte[] hmacSecret,
        PublicKey publicKey,
        boolean generatedSecret,
        Duration leeway,
        String issuer,
        String audience,
        String defaultScope,
        List<String> allowedOrigins,
        Tls tls) {

    /** HS256 needs a key at least as long as its hash (RFC 7518 section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;
    public static final String DEFAULT_SCOPE = "sub:* pub:chat.*";
    private static final Pattern SCOPE_ITEM = Pattern.compile("admin|(sub|pub):[A-Za-z0-9._:*-]{1,200}");

    /** The launcher's keystore (PKCS12) and its password. */
    public record Tls(Path keystore, char[] password) {
        @Override
        public String toString() {
            return "Tls[keystore=" + keystore + "]";
        }
    }

    /** Whether clients can be verified at all: with no key, every connection is refused. */
    public boolean hasKey() {
        return hmacSecret != null || publicKey != null;
    }

    /** The JWS algorithm tokens must be signed with; the only one accepted. */
    public String algorithm() {
        if (publicKey == null) {
            return "HS256";
        }
        return publicKey instanceof ECPublicKey ? "ES256" : "RS256";
    }

    @Override
    public String toString() {
        // never print the secret
        return "SecuritySettings[algorithm=" + (hasKey() ? algorithm() : "none") + ", issuer=" + issuer
                + ", audience=" + audience + ", allowedOrigins=" + allowedOrigins + ", tls=" + tls + "]";
    }

    static SecuritySettings load(SettingsReader r, boolean dev) {
        String secretText = r.string("HERALD_JWT_SECRET", null);
        String keyText = r.string("HERALD_JWT_PUBLIC_KEY", null);
        if (secretText != null && keyText != null) {
            throw r.invalid("HERALD_JWT_PUBLIC_KEY", "set either it or HERALD_JWT_SECRET, not both: "
                    + "only the one configured algorithm is accepted");
        }
        byte[] secret = null;
        boolean generated = false;
        if (secretText != null) {
            secret = secretText.getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_SECRET_BYTES) {
                throw r.invalid("HERALD_JWT_SECRET", "is " + secret.length + " bytes; HS256 needs at least "
                        + MIN_SECRET_BYTES);
            }
        }
        PublicKey publicKey = keyText == null ? null : publicKey(r, keyText);
        if (dev && publicKey != null) {
            throw r.invalid("HERALD_DEV", "dev mode mints HS256 tokens and cannot with HERALD_JWT_PUBLIC_KEY set");
        }
        if (dev && secret == null) {
            secret = new byte[48];
            new SecureRandom().nextBytes(secret);
            generated = true;
        }
        Duration leeway = Duration.ofSeconds(r.integer("HERALD_JWT_LEEWAY", 10, 0, 3600));
        String issuer = r.string("HERALD_JWT_ISSUER", null);
        String audience = r.string("HERALD_JWT_AUDIENCE", null);
        String defaultScope = r.string("HERALD_DEFAULT_SCOPE", DEFAULT_SCOPE);
        for (String item : defaultScope.split("\\s+")) {
            if (!SCOPE_ITEM.matcher(item).matches()) {
                throw r.invalid("HERALD_DEFAULT_SCOPE", "\"" + item + "\" is not admin, sub:PATTERN or pub:PATTERN");
            }
        }
        List<String> origins = origins(r, r.string("HERALD_ALLOWED_ORIGINS", null));
        return new SecuritySettings(secret, publicKey, generated, leeway, issuer, audience, defaultScope,
                origins, tls(r));
    }

    /** A PEM {@code PUBLIC KEY} block, given inline (newlines may be written {@code \n}) or as a file path. */
    private static PublicKey publicKey(SettingsReader r, String value) {
        String pem = value.replace("\\n", "\n");
        if (!pem.contains("-----BEGIN")) {
            try {
                pem = Files.readString(Path.of(value));
            } catch (IOException | RuntimeException e) {
                throw r.invalid("HERALD_JWT_PUBLIC_KEY", "is neither a PEM public key nor a readable file ("
                        + e.getMessage() + ")");
            }
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw r.invalid("HERALD_JWT_PUBLIC_KEY", "is not a PEM \"PUBLIC KEY\" block: " + e.getMessage());
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 256) {
                    throw r.invalid("HERALD_JWT_PUBLIC_KEY", "an EC key must be on P-256 (ES256)");
                }
                return key;
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw r.invalid("HERALD_JWT_PUBLIC_KEY", "is not an RSA or EC (P-256) public key in PEM \"PUBLIC KEY\" form");
    }

    private static List<String> origins(SettingsReader r, String value) {
        List<String> origins = new ArrayList<>();
        if (value == null) {
            return origins;
        }
        for (String item : value.split(",")) {
            String origin = item.trim();
            if (origin.isEmpty()) {
                continue;
            }
            String normalised = origin.equals("*") || origin.equals("null") ? origin : normaliseOrigin(origin);
            if (normalised == null) {
                throw r.invalid("HERALD_ALLOWED_ORIGINS", "\"" + origin + "\" is not scheme://host[:port], * or null");
            }
            origins.add(normalised);
        }
        return List.copyOf(origins);
    }

    /**
     * {@code scheme://host[:port]} in lower case with the scheme's default port left out, as browsers
     * send it; null if {@code origin} is not of that form.
     */
    public static String normaliseOrigin(String origin) {
        try {
            URI uri = new URI(origin);
            String scheme = uri.getScheme();
            String host = uri.getHost();
            if (scheme == null || host == null || uri.getUserInfo() != null || uri.getQuery() != null
                    || uri.getFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") || scheme.equals("ws")) && port == 80
                    || (scheme.equals("https") || scheme.equals("wss")) && port == 443;
            return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Tls tls(SettingsReader r) {
        String keystore = r.string("HERALD_TLS_KEYSTORE", null);
        String password = r.string("HERALD_TLS_PASSWORD", null);
        if (keystore == null) {
            if (password != null) {
                throw r.invalid("HERALD_TLS_PASSWORD", "is set but HERALD_TLS_KEYSTORE is not");
            }
            return null;
        }
        if (password == null) {
            throw r.invalid("HERALD_TLS_PASSWORD", "is required with HERALD_TLS_KEYSTORE");
        }
        Path path = Path.of(keystore);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            if (!store.aliases().hasMoreElements()) {
                throw r.invalid("HERALD_TLS_KEYSTORE", keystore + " holds no key");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw r.invalid("HERALD_TLS_KEYSTORE", "cannot open " + keystore + " as PKCS12 with HERALD_TLS_PASSWORD: "
                    + e.getMessage());
        }
        return new Tls(path, password.toCharArray());
    }
}
