package io.netwatch.gateway.auth;

import io.netwatch.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configured tokens ({@code role:token} or {@code role:name:token}) and the access rule: reading needs any
 * token (or anonymous reads switched on), changing anything needs an operator token.
 */
@ApplicationScoped
public class AccessTokens {
    private final Map<String, Caller> byToken = new HashMap<>();
    private final boolean anonymousRead;

    @Inject
    public AccessTokens(GatewayConfig config) {
        this(config.auth().tokens().orElse(List.of()), config.auth().anonymousRead());
    }

    public AccessTokens(List<String> tokens, boolean anonymousRead) {
        this.anonymousRead = anonymousRead;
        for (String entry : tokens) {
            String[] parts = entry.trim().split(":", 3);
            if (parts.length < 2 || parts[parts.length - 1].isBlank()) {
                throw new IllegalArgumentException("netwatch.gateway.auth.tokens: '" + redact(entry)
                        + "' is not role:token or role:name:token");
            }
            Role role;
            try {
                role = Role.valueOf(parts[0].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("netwatch.gateway.auth.tokens: unknown role '" + parts[0]
                        + "' (viewer or operator)");
            }
            String name = parts.length == 3 ? parts[1] : parts[0];
            byToken.put(parts[parts.length - 1], new Caller(name, role));
        }
    }

    /** The decision for a request that reads ({@code control} false) or changes something, given its token. */
    public Access check(String token, boolean control) {
        Optional<Caller> caller = find(token);
        if (caller.isEmpty()) {
            if (token != null && !token.isEmpty()) {
                return Access.denied(401, "the access token is not known");
            }
            if (!control && anonymousRead) {
                return Access.allowed(Caller.ANONYMOUS);
            }
            return Access.denied(401, control
                    ? "this endpoint changes something: send an operator token as 'Authorization: Bearer TOKEN'"
                    : "send an access token as 'Authorization: Bearer TOKEN' (or ?access_token=TOKEN)");
        }
        if (control && !caller.get().role().mayControl()) {
            return Access.denied(403, "a viewer token may only read; this endpoint needs an operator token");
        }
        return Access.allowed(caller.get());
    }

    private Optional<Caller> find(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        // Compare every configured token in constant time, so timing does not tell how much of a guess matched.
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        Caller found = null;
        for (Map.Entry<String, Caller> e : byToken.entrySet()) {
            if (MessageDigest.isEqual(given, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                found = e.getValue();
            }
        }
        return Optional.ofNullable(found);
    }

    /** The token of an Authorization header ({@code Bearer X}) or, failing that, of a query parameter. */
    public static String token(String authorization, String queryToken) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return queryToken;
    }

    private static String redact(String entry) {
        int colon = entry.lastIndexOf(':');
        return colon < 0 ? "***" : entry.substring(0, colon + 1) + "***";
    }

    /** Allowed with a caller, or denied with a status and a reason. */
    public record Access(Caller caller, int status, String reason) {
        static Access allowed(Caller caller) {
            return new Access(caller, 0, null);
        }

        static Access denied(int status, String reason) {
            return new Access(null, status, reason);
        }

        public boolean allowed() {
            return caller != null;
        }
    }
}
