package io.netwatch.gateway.auth;

/** Who sent a request: the name recorded with acknowledgements and commands, and the role of their token. */
public record Caller(String name, Role role) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null);
}
