import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The Docker HEALTHCHECK probe: exits 0 when {@code GET /herald/api/health} answers 200, 1 otherwise
 * (503 DOWN, refused, timeout). A Java class rather than curl or wget because the runtime images
 * (Payara Micro, WildFly, Temurin JRE) are not guaranteed to ship either, while all of them have
 * {@code java}; and JRE images have no javac, so the Dockerfile compiles this in the build stage.
 *
 * <p>Argument: the URL to probe; default {@code http://127.0.0.1:$HERALD_PORT/herald/api/health}.
 */
public final class HealthCheck {

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String port = System.getenv().getOrDefault("HERALD_PORT", "8080");
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/herald/api/health";
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            // well under the HEALTHCHECK --timeout, so a hung server is reported, not waited out
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(3000);
            int status = connection.getResponseCode();
            if (status != 200) {
                System.err.println(url + " answered " + status);
            }
            System.exit(status == 200 ? 0 : 1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(url + ": " + e);
            System.exit(1);
        }
    }
}
