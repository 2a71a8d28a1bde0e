package org.territoire.shared.accounts;

/** Where a capability's part of a person's export goes ({@code exports/<exportId>/<capability>.json}). */
public interface ExportSink {
    void write(String exportId, String capability, String json);

    static String key(String exportId, String capability) {
        return "exports/" + exportId + "/" + capability + ".json";
    }
}
