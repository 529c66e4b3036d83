package io.pathprobe.linux.privilege;

/**
 * A user of this host's user database, as {@link Privileges#user(String)} found it.
 *
 * @param name the user's name
 * @param uid its user ID
 * @param gid its primary group ID
 */
public record User(String name, int uid, int gid) {
    @Override
    public String toString() {
        return name + " (uid " + Integer.toUnsignedString(uid) + ", gid " + Integer.toUnsignedString(gid) + ")";
    }
}
