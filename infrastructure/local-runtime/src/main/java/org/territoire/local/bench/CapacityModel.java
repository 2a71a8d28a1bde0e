package org.territoire.local.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Territoire at 10,000, 100,000 and 1,000,000 residents, on paper: from the request units the
 * benchmarks measure per operation and stated assumptions about how people and devices use
 * it, the requests per second per function, Lambda concurrency, DynamoDB units per table and
 * on the hottest keys (against the per-partition limits), IoT Core rates and the monthly bill.
 * Prints the tables of {@code docs/capacity.md}, which a test holds equal to this output, so
 * changing a unit or an assumption here is how the document changes:
 * {@code ./run-local.sh capacity}.
 *
 * <p>Every figure is a model, not a measurement; its inputs are the constants below, each
 * with its source. Units come from {@code docs/benchmarks.md} (counted SDK calls, DynamoDB's
 * unit rules for items under 1 KB).
 */
public final class CapacityModel {
    // ---- the territory --------------------------------------------------------------------------
    static final int[] RESIDENTS = {10_000, 100_000, 1_000_000};
    /** INSEE: 2.2 people per household in France (2020). */
    static final double PEOPLE_PER_HOUSEHOLD = 2.2;
    /** Residents per district: a district is a quarter or a village of about 5,000 people. */
    static final int RESIDENTS_PER_DISTRICT = 5_000;

    // ---- devices --------------------------------------------------------------------------------
    /** Households that connect home devices (meters, solar, heat pump): an opt-in, assumed 30 %. */
    static final double EQUIPPED_HOUSEHOLDS = 0.30;
    static final double HOME_DEVICES_PER_EQUIPPED_HOUSEHOLD = 2;
    /** A home device measures every 15 minutes and sends its readings once an hour, 4 a message. */
    static final int HOME_READINGS_PER_DAY = 96;
    static final int HOME_READINGS_PER_MESSAGE = 4;
    /** Territory sensors (air quality, noise, parking): one per 500 residents, a reading every 5 minutes, sent alone. */
    static final double SENSORS_PER_RESIDENT = 1.0 / 500;
    static final int SENSOR_READINGS_PER_DAY = 288;
    /** Home devices send on the hour, spread by their own jitter over this many seconds. */
    static final int HOURLY_SEND_SPREAD_SECONDS = 300;
    /** A raw reading is kept this long (TTL), about 250 bytes stored with its keys. */
    static final int READING_RETENTION_DAYS = 400;
    static final int READING_ITEM_BYTES = 250;

    // ---- people ---------------------------------------------------------------------------------
    /** Residents who use the platform in a month (web or app): 25 %; each opens it 4 times. */
    static final double MONTHLY_ACTIVE = 0.25;
    static final int SESSIONS_PER_ACTIVE_PER_MONTH = 4;
    /** A session reads about 12 routes (lists, a page, a map, a chart). */
    static final int READS_PER_SESSION = 12;
    /** Per resident and month: bookings, evaluations, reports. */
    static final double BOOKINGS_PER_RESIDENT_MONTH = 0.10;
    static final double EVALUATIONS_PER_RESIDENT_MONTH = 0.02;
    static final double REPORTS_PER_RESIDENT_MONTH = 0.01;
    /** The busiest hour of a day carries 12 % of its API traffic; the busiest second of that hour twice its average. */
    static final double PEAK_HOUR_SHARE = 0.12;
    static final double PEAK_SECOND_FACTOR = 2;

    // ---- the participatory budget's last hour ----------------------------------------------------
    /** Turnout of a participatory budget: Paris and Rennes see 7 to 10 % of residents; assume 10 %. */
    static final double BUDGET_TURNOUT = 0.10;
    /** Share of all ballots cast in the vote's last hour (the closing rush), and the last minute's surge. */
    static final double LAST_HOUR_SHARE = 0.05;
    static final double LAST_HOUR_PEAK_FACTOR = 3;
    /** A harsher closing, to see where the keys would give: a fifth of the ballots in the last hour, a 10x surge (a reminder sent to everyone). */
    static final double STRESS_LAST_HOUR_SHARE = 0.20;
    static final double STRESS_PEAK_FACTOR = 10;
    /** A ballot supports this many projects, each a proposal's counter (select-N or knapsack). */
    static final int PROJECTS_PER_BALLOT = 4;
    /** The most popular project gets this share of ballots. */
    static final double TOP_PROJECT_SHARE = 0.4;

    // ---- units per operation (docs/benchmarks.md) ------------------------------------------------
    static final Op BOOK = new Op("book 1 h, quotas, Idempotency-Key", 10, 3);
    static final Op PARTICIPATE = new Op("participate (a ballot), Idempotency-Key", 8, 1);
    static final Op SUPPORT = new Op("support a proposal", 6, 3);
    /** Feedback operations are derived from their transactions (2 WRU per item): evaluation + summary, + key. */
    static final Op EVALUATE = new Op("evaluate a service, Idempotency-Key", 6, 2);
    /** Report + status history + contact + map cell counter, + key. */
    static final Op REPORT = new Op("report a problem, Idempotency-Key", 10, 2);
    /** A page of up to 20 small items, eventually consistent: 0.5 RRU per 4 KB; lists cost 1 to 3. */
    static final Op READ = new Op("read a page (average)", 0, 2);

    /**
     * Telemetry per message of n readings (docs/benchmarks.md, "Telemetry", after the cost
     * work): each reading and the latest value; the hour of the device's latest reading is
     * closed (recomputed and stored, 1 WRU) by the message that leaves it, so once per hour of
     * messages: n + 1 + 1/(messages an hour), at most n + 2 (a device sending once an hour closes
     * an hour with every message). About 2 RRU a message (the device is cached; closing an hour
     * or an alert window is one query).
     */
    static double ingestWru(int readings, double messagesPerHour) {
        return readings + 1 + Math.min(1, 1 / messagesPerHour);
    }

    static double ingestRru(int readings) {
        return 2;
    }

    static final double HOME_MESSAGES_PER_HOUR = HOME_READINGS_PER_DAY / (double) HOME_READINGS_PER_MESSAGE / 24;
    static final double SENSOR_MESSAGES_PER_HOUR = SENSOR_READINGS_PER_DAY / 24.0;

    // ---- the telemetry sweep's district hours (docs/decisions.md, "District hours made by the sweep") ----
    /** Per device and hour, one query of its hour's readings: up to 4 KB a page, a few pages for a busy device. */
    static final double SWEEP_RRU_PER_DEVICE_HOUR = 3;
    /** Device kinds present in a district (home: meters, solar; territory: air, noise, parking). */
    static final int KINDS_PER_DISTRICT = 5;
    /** Sweep runs a month (every 15 minutes) and the device hours it reads at once, each one query of about this long. */
    static final double SWEEP_RUNS_PER_MONTH = 4 * 24 * 30;
    static final int SWEEP_PARALLEL_READS = 16;
    static final double SWEEP_QUERY_MS = 7.5;
    /** The district sweep's share of the sweep's 60 s timeout (TelemetrySweepHandler.DISTRICT_BUDGET). */
    static final double SWEEP_BUDGET_SECONDS = 40;

    // ---- Lambda -----------------------------------------------------------------------------------
    static final double MEMORY_GB = 1.0;
    /** Warm durations assumed for AWS (single-digit ms DynamoDB calls): an API request, an ingested message. */
    static final double API_MS = 60;
    static final double INGEST_MS = 50;

    // ---- prices, USD, us-east-1, November 2024 public price lists (check your region's) ---------
    static final double LAMBDA_PER_M_REQUESTS = 0.20;
    static final double LAMBDA_PER_GB_SECOND_ARM = 0.0000133334;
    static final double HTTP_API_PER_M = 1.00;
    static final double WRU_PER_M = 0.625;
    static final double RRU_PER_M = 0.125;
    static final double DDB_GB_MONTH = 0.25;
    static final double IOT_RULES_PER_M = 0.15;
    static final double IOT_ACTIONS_PER_M = 0.15;
    static final double IOT_PER_M_CONNECTION_MINUTES = 0.08;
    /** Cognito Essentials: the first 10,000 monthly active users free, then 0.015 each. */
    static final int COGNITO_FREE_MAU = 10_000;
    static final double COGNITO_PER_MAU = 0.015;
    /** CloudWatch Logs ingestion; each request or message logs about 1.5 KB (a JSON line and its EMF metrics). */
    static final double LOGS_PER_GB = 0.50;
    static final double LOG_KB_PER_INVOCATION = 1.5;

    // ---- DynamoDB per-partition limits (developer guide, "Service quotas") -----------------------
    static final int PARTITION_WCU = 1_000;
    static final int PARTITION_RCU = 3_000;
    /** Consultation tally shards (DynamoConsultationRepository.SHARDS). */
    static final int TALLY_SHARDS = 8;

    static final double SECONDS_PER_MONTH = 30 * 86_400.0;

    record Op(String name, double wru, double rru) {
    }

    /** One territory's figures. */
    record Territory(int residents) {
        double households() {
            return residents / PEOPLE_PER_HOUSEHOLD;
        }

        double homeDevices() {
            return households() * EQUIPPED_HOUSEHOLDS * HOME_DEVICES_PER_EQUIPPED_HOUSEHOLD;
        }

        double sensors() {
            return residents * SENSORS_PER_RESIDENT;
        }

        double districts() {
            return Math.max(1, residents / (double) RESIDENTS_PER_DISTRICT);
        }

        double homeMessagesPerMonth() {
            return homeDevices() * HOME_READINGS_PER_DAY / (double) HOME_READINGS_PER_MESSAGE * 30;
        }

        double sensorMessagesPerMonth() {
            return sensors() * SENSOR_READINGS_PER_DAY * 30;
        }

        double readingsPerMonth() {
            return homeDevices() * HOME_READINGS_PER_DAY * 30 + sensorMessagesPerMonth();
        }

        double messagesPerMonth() {
            return homeMessagesPerMonth() + sensorMessagesPerMonth();
        }

        /** Home devices all send within the spread after the hour; sensors are steady. */
        double peakMessagesPerSecond() {
            return homeDevices() / HOURLY_SEND_SPREAD_SECONDS + sensors() * SENSOR_READINGS_PER_DAY / 86_400.0;
        }

        double readsPerMonth() {
            return residents * MONTHLY_ACTIVE * SESSIONS_PER_ACTIVE_PER_MONTH * READS_PER_SESSION;
        }

        double bookingsPerMonth() {
            return residents * BOOKINGS_PER_RESIDENT_MONTH;
        }

        double evaluationsPerMonth() {
            return residents * EVALUATIONS_PER_RESIDENT_MONTH;
        }

        double reportsPerMonth() {
            return residents * REPORTS_PER_RESIDENT_MONTH;
        }

        /** One budget vote a year, counted in the month it closes. */
        double ballots() {
            return residents * BUDGET_TURNOUT;
        }

        double lastHourPeakBallotsPerSecond() {
            return ballots() * LAST_HOUR_SHARE / 3600 * LAST_HOUR_PEAK_FACTOR;
        }

        double stressedBallotsPerSecond() {
            return ballots() * STRESS_LAST_HOUR_SHARE / 3600 * STRESS_PEAK_FACTOR;
        }

        /** Seconds the sweep spends reading one hour's device hours, {@link #SWEEP_PARALLEL_READS} at a time. */
        double sweepSeconds() {
            return (homeDevices() + sensors()) * SWEEP_QUERY_MS / 1000 / SWEEP_PARALLEL_READS;
        }

        /** The busiest second of an ordinary day, for a monthly volume spread over 30 days. */
        static double peakPerSecond(double perMonth) {
            return perMonth / 30 * PEAK_HOUR_SHARE / 3600 * PEAK_SECOND_FACTOR;
        }
    }

    /** A function's monthly load: its requests and the DynamoDB units they spend. */
    record Load(String function, double requestsPerMonth, double peakPerSecond, double ms, double wruPerMonth,
                double rruPerMonth, boolean behindApi) {
        double concurrency() {
            return peakPerSecond * ms / 1000;
        }

        double lambdaUsd() {
            return requestsPerMonth / 1e6 * LAMBDA_PER_M_REQUESTS + requestsPerMonth * ms / 1000 * MEMORY_GB * LAMBDA_PER_GB_SECOND_ARM;
        }

        double apiUsd() {
            return behindApi ? requestsPerMonth / 1e6 * HTTP_API_PER_M : 0;
        }

        double dynamoUsd() {
            return wruPerMonth / 1e6 * WRU_PER_M + rruPerMonth / 1e6 * RRU_PER_M;
        }

        double logsUsd() {
            return requestsPerMonth * LOG_KB_PER_INVOCATION / 1024 / 1024 * LOGS_PER_GB;
        }

        double usd() {
            return lambdaUsd() + apiUsd() + dynamoUsd() + logsUsd();
        }
    }

    static List<Load> loads(Territory t) {
        double reads = t.readsPerMonth();
        // Reads split over the four API functions in proportion to what people look at.
        double feedbackReads = reads * 0.35, bookingsReads = reads * 0.25, consultationReads = reads * 0.25,
                telemetryReads = reads * 0.15;
        double bookings = t.bookingsPerMonth(), evaluations = t.evaluationsPerMonth(), reports = t.reportsPerMonth();
        double ballots = t.ballots();
        double feedbackWrites = evaluations + reports;
        List<Load> loads = new ArrayList<>();
        loads.add(new Load("FeedbackFunction", feedbackReads + feedbackWrites,
                Territory.peakPerSecond(feedbackReads + feedbackWrites), API_MS,
                evaluations * EVALUATE.wru() + reports * REPORT.wru(),
                feedbackReads * READ.rru() + evaluations * EVALUATE.rru() + reports * REPORT.rru(), true));
        loads.add(new Load("BookingsFunction", bookingsReads + bookings, Territory.peakPerSecond(bookingsReads + bookings),
                API_MS, bookings * BOOK.wru(), bookingsReads * READ.rru() + bookings * BOOK.rru(), true));
        // The month a budget vote closes: every ballot, and its supports, on top of the ordinary reads.
        double supports = ballots * PROJECTS_PER_BALLOT;
        loads.add(new Load("ConsultationsFunction", consultationReads + ballots + supports,
                Math.max(Territory.peakPerSecond(consultationReads),
                        t.lastHourPeakBallotsPerSecond() * (1 + PROJECTS_PER_BALLOT)), API_MS,
                ballots * PARTICIPATE.wru() + supports * SUPPORT.wru(),
                consultationReads * READ.rru() + ballots * PARTICIPATE.rru() + supports * SUPPORT.rru(), true));
        loads.add(new Load("TelemetryApiFunction", telemetryReads, Territory.peakPerSecond(telemetryReads), API_MS, 0,
                telemetryReads * READ.rru(), true));
        double homeMessages = t.homeMessagesPerMonth(), sensorMessages = t.sensorMessagesPerMonth();
        loads.add(new Load("TelemetryIngestFunction", t.messagesPerMonth(), t.peakMessagesPerSecond(), INGEST_MS,
                homeMessages * ingestWru(HOME_READINGS_PER_MESSAGE, HOME_MESSAGES_PER_HOUR) + sensorMessages * ingestWru(1, SENSOR_MESSAGES_PER_HOUR),
                homeMessages * ingestRru(HOME_READINGS_PER_MESSAGE) + sensorMessages * ingestRru(1), false));
        // The sweep: each device's hour read once an hour, each district hour written once; one scan of the devices a run.
        double devices = t.homeDevices() + t.sensors();
        loads.add(new Load("TelemetrySweepFunction", SWEEP_RUNS_PER_MONTH, 1.0 / 900, t.sweepSeconds() * 1000 / 4,
                t.districts() * KINDS_PER_DISTRICT * 720,
                devices * 720 * SWEEP_RRU_PER_DEVICE_HOUR + SWEEP_RUNS_PER_MONTH * Math.ceil(devices * 0.5 / 4) / 2, false));
        return loads;
    }

    static double iotUsd(Territory t) {
        double devices = t.homeDevices() + t.sensors();
        return t.messagesPerMonth() / 1e6 * (IOT_RULES_PER_M + IOT_ACTIONS_PER_M)
                + devices * 43_200 / 1e6 * IOT_PER_M_CONNECTION_MINUTES;
    }

    static double cognitoUsd(Territory t) {
        return Math.max(0, t.residents() * MONTHLY_ACTIVE - COGNITO_FREE_MAU) * COGNITO_PER_MAU;
    }

    static double storageUsd(Territory t) {
        double readingsKept = (t.homeDevices() * HOME_READINGS_PER_DAY + t.sensors() * SENSOR_READINGS_PER_DAY) * READING_RETENTION_DAYS;
        return readingsKept * READING_ITEM_BYTES / 1e9 * DDB_GB_MONTH;
    }

    // ---- output --------------------------------------------------------------------------------

    public static String render() {
        StringBuilder out = new StringBuilder();
        List<Territory> sizes = new ArrayList<>();
        for (int r : RESIDENTS) {
            sizes.add(new Territory(r));
        }
        out.append("| | ").append(String.join(" | ", sizes.stream().map(t -> f0(t.residents()) + " residents").toList())).append(" |\n");
        out.append("|---|").append("---:|".repeat(sizes.size())).append('\n');
        row(out, "households", sizes, Territory::households);
        row(out, "districts", sizes, Territory::districts);
        row(out, "home devices", sizes, Territory::homeDevices);
        row(out, "territory sensors", sizes, Territory::sensors);
        row(out, "readings a month (millions)", sizes, t -> t.readingsPerMonth() / 1e6);
        row(out, "device messages a month (millions)", sizes, t -> t.messagesPerMonth() / 1e6);
        row(out, "IoT messages per second, on the hour", sizes, Territory::peakMessagesPerSecond);
        row(out, "API reads a month (millions)", sizes, t -> t.readsPerMonth() / 1e6);
        row(out, "bookings a month", sizes, Territory::bookingsPerMonth);
        row(out, "budget ballots (one vote a year)", sizes, Territory::ballots);
        row(out, "ballots per second, last minutes of the vote", sizes, Territory::lastHourPeakBallotsPerSecond);

        out.append("\n**Per function, the month a budget vote closes** (peak: requests per second at the busiest moment;\n")
                .append("concurrency: peak × warm duration; USD: Lambda + HTTP API + DynamoDB requests + logs)\n\n");
        out.append("| function | residents | requests a month (M) | peak req/s | Lambda concurrency | WRU a month (M) | RRU a month (M) | USD a month |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Territory t : sizes) {
            for (Load l : loads(t)) {
                out.append("| ").append(l.function()).append(" | ").append(f0(t.residents())).append(" | ")
                        .append(f2(l.requestsPerMonth() / 1e6)).append(" | ").append(f1(l.peakPerSecond())).append(" | ")
                        .append(f1(l.concurrency())).append(" | ").append(f2(l.wruPerMonth() / 1e6)).append(" | ")
                        .append(f2(l.rruPerMonth() / 1e6)).append(" | ").append(f2(l.usd())).append(" |\n");
            }
        }

        out.append("\n**The monthly bill** (USD; the month a budget vote closes)\n\n");
        out.append("| item | ").append(String.join(" | ", sizes.stream().map(t -> f0(t.residents())).toList())).append(" |\n");
        out.append("|---|").append("---:|".repeat(sizes.size())).append('\n');
        row(out, "Lambda (requests and GB-seconds, arm64, 1 GB)", sizes, t -> loads(t).stream().mapToDouble(Load::lambdaUsd).sum());
        row(out, "API Gateway HTTP API", sizes, t -> loads(t).stream().mapToDouble(Load::apiUsd).sum());
        row(out, "DynamoDB requests (on demand)", sizes, t -> loads(t).stream().mapToDouble(Load::dynamoUsd).sum());
        row(out, "DynamoDB storage of readings", sizes, CapacityModel::storageUsd);
        row(out, "IoT Core (rules, actions, connection minutes)", sizes, CapacityModel::iotUsd);
        row(out, "Cognito (monthly active users over 10,000)", sizes, CapacityModel::cognitoUsd);
        row(out, "CloudWatch Logs ingestion", sizes, t -> loads(t).stream().mapToDouble(Load::logsUsd).sum());
        row(out, "**total**", sizes, t -> loads(t).stream().mapToDouble(Load::usd).sum() + storageUsd(t) + iotUsd(t) + cognitoUsd(t));
        row(out, "per resident and year", sizes, t -> 12 * (loads(t).stream().mapToDouble(Load::usd).sum() + storageUsd(t)
                + iotUsd(t) + cognitoUsd(t)) / t.residents());

        out.append("\n**Hottest keys at the busiest moment**, against DynamoDB's per-partition limits (")
                .append(f0(PARTITION_WCU)).append(" WCU/s, ").append(f0(PARTITION_RCU)).append(" RCU/s)\n\n");
        out.append("| key | what writes it | ").append(String.join(" | ", sizes.stream().map(t -> f0(t.residents())).toList())).append(" |\n");
        out.append("|---|---|").append("---:|".repeat(sizes.size())).append('\n');
        hot(out, "`CONS#id` partition of a budget vote (WCU/s)", "every ballot (participation, tally shard, window check) and its supports",
                sizes, t -> t.lastHourPeakBallotsPerSecond() * (PARTICIPATE.wru() + PROJECTS_PER_BALLOT * SUPPORT.wru()));
        hot(out, "one tally shard of that vote (writes/s)", "a ballot's shard, " + TALLY_SHARDS + " shards",
                sizes, t -> t.lastHourPeakBallotsPerSecond() / TALLY_SHARDS);
        hot(out, "the vote's `META` item (transactions/s naming it)", "the window `ConditionCheck` of every ballot and support",
                sizes, t -> t.lastHourPeakBallotsPerSecond() * (1 + PROJECTS_PER_BALLOT));
        hot(out, "the same `META` item, harsh closing (transactions/s)", f0(STRESS_LAST_HOUR_SHARE * 100)
                + " % of ballots in the last hour, a " + f0(STRESS_PEAK_FACTOR) + "× surge",
                sizes, t -> t.stressedBallotsPerSecond() * (1 + PROJECTS_PER_BALLOT));
        hot(out, "the `CONS#id` partition, harsh closing (WCU/s)", "ballots and supports",
                sizes, t -> t.stressedBallotsPerSecond() * (PARTICIPATE.wru() + PROJECTS_PER_BALLOT * SUPPORT.wru()));
        hot(out, "the most supported project's counter (writes/s)", "its supports (" + f0(TOP_PROJECT_SHARE * 100) + " % of ballots)",
                sizes, t -> t.lastHourPeakBallotsPerSecond() * TOP_PROJECT_SHARE);
        hot(out, "a district's aggregate read (queries per request)", "one query of the district hours the sweep made (24 items a day)",
                sizes, t -> 1);
        hot(out, "the sweep: seconds to read one hour of every device (limit " + f0(SWEEP_BUDGET_SECONDS) + " s a run)",
                f0(SWEEP_PARALLEL_READS) + " device-hour queries at once, " + f1(SWEEP_QUERY_MS) + " ms each",
                sizes, Territory::sweepSeconds);
        hot(out, "one device's partition (WCU/s)", "its own messages", sizes,
                t -> ingestWru(HOME_READINGS_PER_MESSAGE, HOME_MESSAGES_PER_HOUR) * HOME_MESSAGES_PER_HOUR / 3600.0);
        return out.toString();
    }

    private interface Figure {
        double of(Territory t);
    }

    private static void row(StringBuilder out, String label, List<Territory> sizes, Figure figure) {
        out.append("| ").append(label).append(" | ");
        out.append(String.join(" | ", sizes.stream().map(t -> fmt(figure.of(t))).toList())).append(" |\n");
    }

    private static void hot(StringBuilder out, String key, String what, List<Territory> sizes, Figure figure) {
        out.append("| ").append(key).append(" | ").append(what).append(" | ");
        out.append(String.join(" | ", sizes.stream().map(t -> fmt(figure.of(t))).toList())).append(" |\n");
    }

    private static String fmt(double v) {
        return v >= 100 ? f0(v) : v >= 10 ? f1(v) : f2(v);
    }

    private static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    public static void main(String[] args) {
        System.out.print(render());
    }
}
