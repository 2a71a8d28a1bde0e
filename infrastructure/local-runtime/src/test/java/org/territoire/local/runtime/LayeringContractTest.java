package org.territoire.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.territoire.local.aws.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.ProjectRoot;

/**
 * The one domain error model (docs/decisions.md): services and adapters say why a use case
 * stops with a {@code DomainError} and never touch HTTP; only the HTTP edge (the kernel's
 * {@code shared.http}, each function's route table, the Open311 adapter that speaks
 * GeoReport's own error format) knows statuses. Read from the sources, so a new service that
 * throws an HTTP type fails here before it ships.
 */
@Tag("unit")
class LayeringContractTest {
    private static final Pattern HTTP_IMPORT = Pattern.compile(
            "import org\\.territoire\\.shared\\.http\\.(\\w+);");
    /**
     * The HTTP edge: the kernel's HTTP layer and its machinery (idempotency replays responses,
     * observability measures them, priming serves HTTP events), each function's route tables
     * and SnapStart priming, and the Open311 adapter, which speak HTTP by definition.
     */
    private static final Pattern EDGE = Pattern.compile(".*(/shared/(http|idempotency|observability)/.*"
            + "|Handler|/Priming|/budget/BudgetRoutes|/open311/Open311Api|/open311/JwksBearerTokens)\\.java");

    @Test
    void onlyTheHttpEdge_importsHttpTypes() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path source : mainSources()) {
            String path = source.toString().replace('\\', '/');
            if (EDGE.matcher(path).matches()) {
                continue;
            }
            var imports = HTTP_IMPORT.matcher(Files.readString(source));
            while (imports.find()) {
                offenders.add(ProjectRoot.find().relativize(source) + " imports " + imports.group(1));
            }
        }
        assertThat(offenders).as("services and adapters throw DomainError and know no HTTP type").isEmpty();
    }

    @Test
    void nothingOutsideTheKernel_buildsAnHttpFailureByHand() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path source : mainSources()) {
            String path = source.toString().replace('\\', '/');
            if (path.contains("/shared/src/main/java/org/territoire/shared/http/")) {
                continue;
            }
            if (Files.readString(source).contains("new ApiException(")) {
                offenders.add(ProjectRoot.find().relativize(source).toString());
            }
        }
        assertThat(offenders).as("a status is chosen in one place, ApiException.of").isEmpty();
    }

    private static List<Path> mainSources() throws IOException {
        Path root = ProjectRoot.find();
        List<Path> sources = new ArrayList<>();
        for (Path module : List.of(root.resolve("shared"), root.resolve("functions"))) {
            try (Stream<Path> files = Files.walk(module)) {
                files.filter(p -> p.toString().endsWith(".java"))
                        .filter(p -> p.toString().replace('\\', '/').contains("/src/main/java/"))
                        .forEach(sources::add);
            }
        }
        assertThat(sources).hasSizeGreaterThan(50);
        return sources;
    }
}
