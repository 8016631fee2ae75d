package io.herald.container;

import io.herald.Herald;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Stands for the application Herald is deployed with (SPEC section 9): HeraldWarIT adds it to the
 * WAR, so that {@code @Inject Herald} is resolved by the server's own CDI, as a user's code would be.
 * Answers the published message's seq.
 */
@WebServlet("/test/cdi-publish")
public class CdiPublishServlet extends HttpServlet {

    @Inject
    private Herald herald;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long seq = herald.publish(request.getParameter("topic"), Map.of("via", "cdi"));
        response.setContentType("text/plain");
        response.getWriter().print(seq);
    }
}
