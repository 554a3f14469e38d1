package io.netwatch.gateway.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessTokensTest {
    private final AccessTokens tokens = new AccessTokens(List.of("operator:olga:op-secret", "viewer:view-secret"),
            false);

    @Test
    void aViewerReadsAndAnOperatorAlsoChanges() {
        assertEquals(new Caller("olga", Role.OPERATOR), tokens.check("op-secret", true).caller());
        assertEquals(new Caller("viewer", Role.VIEWER), tokens.check("view-secret", false).caller(),
                "role:token names the caller after the role");
        AccessTokens.Access viewerChanging = tokens.check("view-secret", true);
        assertEquals(403, viewerChanging.status());
        assertTrue(viewerChanging.reason().contains("operator token"));
    }

    @Test
    void noTokenOrAWrongOneIs401() {
        assertEquals(401, tokens.check(null, false).status());
        assertEquals(401, tokens.check("", true).status());
        assertEquals(401, tokens.check("op-secre", true).status(), "a prefix of a token is not the token");
        assertEquals(401, tokens.check("op-secret ", true).status());
        assertFalse(tokens.check("guess", false).allowed());
    }

    @Test
    void anonymousReadsWhenSwitchedOnButNeverAnonymousChanges() {
        AccessTokens open = new AccessTokens(List.of("operator:op"), true);
        assertEquals(Caller.ANONYMOUS, open.check(null, false).caller());
        assertEquals(401, open.check(null, true).status());
        assertEquals(401, open.check("wrong", false).status(), "a wrong token is refused even when reads are open");
    }

    @Test
    void aBadEntryIsRefusedWithoutShowingItsSecret() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AccessTokens(List.of("admin:alice:s3cret"), false));
        assertTrue(e.getMessage().contains("unknown role 'admin'"));
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> new AccessTokens(List.of("viewer:bob:"), false));
        assertTrue(blank.getMessage().contains("role:token"));
        IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
                () -> new AccessTokens(List.of("s3cret"), false));
        assertFalse(bare.getMessage().contains("s3cret"), bare.getMessage());
    }

    @Test
    void theTokenComesFromTheBearerHeaderElseTheQuery() {
        assertEquals("abc", AccessTokens.token("Bearer abc", "q"));
        assertEquals("abc", AccessTokens.token("bearer  abc ", null));
        assertEquals("q", AccessTokens.token("Basic dXNlcjpwdw==", "q"));
        assertEquals("q", AccessTokens.token(null, "q"));
    }
}
