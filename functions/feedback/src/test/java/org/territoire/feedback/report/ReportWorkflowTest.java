package org.territoire.feedback.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("unit")
class ReportWorkflowTest {

    @Test
    void theWorkflowMovesForward_andClosedReportsStayClosed() {
        assertThat(ReportStatus.OPEN.next()).contains(ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED,
                ReportStatus.REJECTED, ReportStatus.DUPLICATE);
        assertThat(ReportStatus.ACKNOWLEDGED.next()).doesNotContain(ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED);
        assertThat(ReportStatus.IN_PROGRESS.next()).containsExactlyInAnyOrder(ReportStatus.RESOLVED, ReportStatus.REJECTED,
                ReportStatus.DUPLICATE);
        for (ReportStatus closed : new ReportStatus[] {ReportStatus.RESOLVED, ReportStatus.REJECTED, ReportStatus.DUPLICATE}) {
            assertThat(closed.next()).isEmpty();
            assertThat(closed.open()).isFalse();
        }
    }

    @Test
    void distances_areGreatCircleMetres() {
        // 0.00045 degrees of latitude is about 50 m.
        assertThat(ReportService.metres(45.7640, 4.8357, 45.76445, 4.8357)).isBetween(49.0, 51.0);
        assertThat(ReportService.metres(45.7640, 4.8357, 45.7640, 4.8357)).isZero();
    }
}
