package org.territoire.local.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.territoire.local.aws.ProjectRoot;

/** docs/capacity.md shows the model's output, not figures typed by hand that drift from it. */
@Tag("unit")
class CapacityModelTest {

    @Test
    void theDocument_showsTheModelsCurrentOutput() throws IOException {
        String doc = Files.readString(ProjectRoot.find().resolve("docs/capacity.md"));
        String begin = "<!-- capacity-model:begin -->\n", end = "<!-- capacity-model:end -->";
        int from = doc.indexOf(begin), to = doc.indexOf(end);
        assertThat(from).as("docs/capacity.md has the model's markers").isNotNegative();
        assertThat(doc.substring(from + begin.length(), to).strip())
                .as("paste the output of ./run-local.sh capacity into docs/capacity.md")
                .isEqualTo(CapacityModel.render().strip());
    }

    @Test
    void theBillGrowsWithTheTerritory_andTelemetryDominatesIt() {
        double previous = 0;
        for (int residents : CapacityModel.RESIDENTS) {
            var territory = new CapacityModel.Territory(residents);
            var loads = CapacityModel.loads(territory);
            double total = loads.stream().mapToDouble(CapacityModel.Load::usd).sum();
            double ingest = loads.stream().filter(l -> l.function().equals("TelemetryIngestFunction"))
                    .mapToDouble(CapacityModel.Load::usd).sum();
            assertThat(total).isGreaterThan(previous);
            assertThat(ingest / total).isGreaterThan(0.5);
            previous = total;
        }
    }
}
