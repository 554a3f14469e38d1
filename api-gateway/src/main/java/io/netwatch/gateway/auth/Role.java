package io.netwatch.gateway.auth;

/** What a token may do: a viewer reads; an operator also controls capture, uploads and acknowledges alerts. */
public enum Role {
    VIEWER,
    OPERATOR;

    public boolean mayControl() {
        return this == OPERATOR;
    }
}
