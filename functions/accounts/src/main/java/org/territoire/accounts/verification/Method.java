package org.territoire.accounts.verification;

/** How a person proves where they live; a territory switches each one on or off (template parameter VerificationMethods). */
public enum Method {
    /** Matches a keyed hash of an identifier against the census the territory loaded: at once, no agent. */
    CENSUS,
    /** A one-time code sent by post to the declared address; the resident types it. */
    POSTAL,
    /** An agent sees the person (and their papers) and approves. */
    IN_PERSON
}
