package org.territoire.local.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.territoire.shared.json.Json;

/**
 * The platform for the API fuzzer (infrastructure/local/fuzz-api.sh): on free ports, so that it
 * never collides with a running ./run-local.sh, with the demo data loaded (real ids to find)
 * and a token of each role. Writes {@code {"url": ..., "tokens": {role: token}}} to the file it
 * is given once it is ready, and runs until it is stopped. The Open311 client
 * (infrastructure/local/georeport-client.sh) starts the same platform.
 */
public final class FuzzTarget {
    private FuzzTarget() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: FuzzTarget READY_FILE");
            System.exit(2);
        }
        LocalPlatform platform = LocalPlatform.start(LocalPlatform.Ports.ANY);
        Runtime.getRuntime().addShutdownHook(new Thread(platform::close));
        new DemoData(platform).load();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("resident", platform.issuer().mint(LocalIssuer.User.of("fuzz-resident", "resident").inDistrict("centre")));
        tokens.put("provider", platform.issuer().mint(LocalIssuer.User.of("fuzz-provider", "provider").ofOrganisation("asso-jardin")));
        tokens.put("agent", platform.issuer().mint(LocalIssuer.User.of("fuzz-agent", "agent").ofOrganisation("mairie")));
        Path ready = Path.of(args[0]);
        Path partial = ready.resolveSibling(ready.getFileName() + ".part");
        Files.writeString(partial, Json.write(Map.of("url", platform.apiUrl().toString(), "tokens", tokens)), StandardCharsets.UTF_8);
        Files.move(partial, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Thread.currentThread().join();
    }
}
