package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.crt.io.ClientBootstrap;
import software.amazon.awssdk.crt.io.EventLoopGroup;
import software.amazon.awssdk.crt.io.HostResolver;
import software.amazon.awssdk.crt.io.SocketOptions;
import software.amazon.awssdk.crt.mqtt.MqttClient;
import software.amazon.awssdk.crt.mqtt.MqttClientConnection;
import software.amazon.awssdk.crt.mqtt.MqttConnectionConfig;
import software.amazon.awssdk.crt.mqtt.MqttMessage;
import software.amazon.awssdk.crt.mqtt.QualityOfService;

/**
 * Connected devices for the demo and for tests: electricity meters with a household's daily
 * cycle, a water meter, solar production following the sun, air quality with traffic peaks,
 * noise, a parking sensor. Each device makes its own key pair and certificate request (the
 * key never leaves it), is registered through the API with that request, then connects as
 * itself (client id = thing name; locally, MQTT username = thing name and password = its
 * certificate, see docs/decisions.md) and publishes with the AWS IoT Device SDK's MQTT client
 * on its own Basic Ingest topic, as it would to IoT Core (over plain TCP to the local broker;
 * in AWS, mutual TLS with that certificate and key).
 */
public final class DeviceSimulator implements AutoCloseable {
    public static final String RULE = "territoire_telemetry";

    /** A simulated device: what it is, and how it measures at a given time. */
    public record Simulated(String id, String kind, String district, String ownerId, String resourceId) {
    }

    /** What a device makes for itself before it is registered: a key pair it keeps, and a PKCS#10 request for it. */
    public record Identity(String deviceId, KeyPair keys, String csr) {
    }

    private record Connection(MqttConnectionConfig config, MqttClientConnection connection) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final EventLoopGroup loop = new EventLoopGroup(1);
    private final HostResolver resolver = new HostResolver(loop);
    private final ClientBootstrap bootstrap = new ClientBootstrap(loop, resolver);
    private final MqttClient client = new MqttClient(bootstrap);
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final String host;
    private final int port;
    private final Random random = new Random(42);
    private final double[] indexes = new double[64];
    private final Instant[] lastReading = new Instant[64];

    public DeviceSimulator(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** A new EC P-256 key pair and a request for it, signed by it (CN = the device id). */
    public static Identity identity(String deviceId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + deviceId), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(request);
            }
            return new Identity(deviceId, keys, pem.toString());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make a key pair and request for " + deviceId, e);
        }
    }

    /**
     * Registers a device through the API ({@code POST /devices} with the fields of
     * {@code deviceJson} and the device's own CSR), then connects it with the certificate it was
     * issued. Returns that certificate.
     */
    public String register(URI api, String agentToken, String deviceJson) {
        ObjectNode body = (ObjectNode) Json.tree(deviceJson);
        String id = body.path("id").asText();
        Identity identity = identity(id);
        body.put("csr", identity.csr());
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(api.resolve("/devices"))
                    .header("Authorization", "Bearer " + agentToken).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("registering " + id + ": " + response.statusCode() + " " + response.body());
            }
            String certificate = Json.tree(response.body()).path("credentials").path("certificatePem").asText();
            connect(id, certificate);
            return certificate;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Connects a registered device as itself: client id and username its thing name, password its certificate. */
    public void connect(String deviceId, String certificatePem) {
        MqttConnectionConfig config = new MqttConnectionConfig();
        config.setMqttClient(client);
        config.setClientId(deviceId);
        config.setUsername(deviceId);
        config.setPassword(certificatePem);
        config.setEndpoint(host);
        config.setPort(port);
        config.setCleanSession(true);
        config.setKeepAliveSecs(30);
        config.setSocketOptions(new SocketOptions());
        MqttClientConnection connection = new MqttClientConnection(config);
        try {
            connection.connect().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            connection.close();
            config.close();
            throw new IllegalStateException("device " + deviceId + " cannot connect to the MQTT broker at " + host + ":" + port, e);
        }
        Connection previous = connections.put(deviceId, new Connection(config, connection));
        if (previous != null) {
            close(previous);
        }
    }

    /** The Basic Ingest topic a device publishes its telemetry on. */
    public static String topic(String district, String deviceId) {
        return "$aws/rules/" + RULE + "/dt/territory/" + district + "/" + deviceId + "/telemetry";
    }

    /** Publishes one message (QoS 1) as that device, and waits for the broker's acknowledgement. */
    public void publish(String district, String deviceId, String json) {
        Connection c = connections.get(deviceId);
        if (c == null) {
            throw new IllegalStateException("device " + deviceId + " is not connected");
        }
        try {
            c.connection().publish(new MqttMessage(topic(district, deviceId), json.getBytes(StandardCharsets.UTF_8), QualityOfService.AT_LEAST_ONCE))
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publish to " + deviceId + " failed", e);
        }
    }

    /** The demo fleet. */
    public static List<Simulated> fleet() {
        List<Simulated> fleet = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            fleet.add(new Simulated("sim-meter-" + h, "ELECTRICITY_METER", "centre", "resident-demo-" + h, null));
        }
        fleet.add(new Simulated("sim-meter-demo", "ELECTRICITY_METER", "centre", "resident-demo", null));
        fleet.add(new Simulated("sim-water-demo", "WATER_METER", "centre", "resident-demo", null));
        fleet.add(new Simulated("sim-solar-mairie", "PV_PRODUCTION", "centre", null, null));
        fleet.add(new Simulated("sim-air-marche", "AIR_QUALITY", "centre", null, null));
        fleet.add(new Simulated("sim-noise-gare", "NOISE", "gare", null, null));
        return fleet;
    }

    /** Registers the fleet through the API, each device with its own CSR, and connects each. */
    public void register(URI api, String agentToken, List<Simulated> fleet) {
        for (Simulated d : fleet) {
            String body = "{\"id\":\"%s\",\"kind\":\"%s\",\"district\":\"%s\",\"latitude\":45.764,\"longitude\":4.8357%s%s}".formatted(
                    d.id(), d.kind(), d.district(), d.ownerId() == null ? "" : ",\"ownerId\":\"" + d.ownerId() + "\"",
                    d.resourceId() == null ? "" : ",\"resourceId\":\"" + d.resourceId() + "\"");
            register(api, agentToken, body);
        }
    }

    /** Publishes the fleet's readings from {@code from} to {@code to}, one every {@code step}, up to 100 per message. */
    public int backfill(List<Simulated> fleet, Instant from, Instant to, Duration step) {
        int published = 0;
        for (int i = 0; i < fleet.size(); i++) {
            Simulated d = fleet.get(i);
            List<String> batch = new ArrayList<>();
            for (Instant at = from; at.isBefore(to); at = at.plus(step)) {
                batch.add(reading(i, d, at, step));
                if (batch.size() == 100) {
                    publish(d.district(), d.id(), "{\"readings\":[" + String.join(",", batch) + "]}");
                    published += batch.size();
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                publish(d.district(), d.id(), "{\"readings\":[" + String.join(",", batch) + "]}");
                published += batch.size();
            }
        }
        return published;
    }

    /** One reading of a device at a time: realistic shapes, a little noise (call in time order per slot). */
    public String reading(int slot, Simulated d, Instant at, Duration step) {
        ZonedDateTime local = at.atZone(java.time.ZoneId.of("Europe/Paris"));
        double hour = local.getHour() + local.getMinute() / 60.0;
        // Indexes advance by the time since the device's previous reading, whatever the publishing rhythm.
        double hours = (lastReading[slot] == null ? step.toSeconds() : Duration.between(lastReading[slot], at).toSeconds()) / 3600.0;
        lastReading[slot] = at;
        String values = switch (d.kind()) {
            case "ELECTRICITY_METER" -> {
                // A household: ~0.3 kW at night, peaks around 8:00 and 19:30.
                double kw = 0.3 + 1.2 * bump(hour, 8, 1.2) + 2.0 * bump(hour, 19.5, 1.8) + 0.2 * random.nextDouble();
                indexes[slot] = (indexes[slot] == 0 ? 4000 + 500 * slot : indexes[slot]) + kw * hours;
                yield f("\"energy_kwh\":%.3f,\"power_w\":%.0f", indexes[slot], kw * 1000);
            }
            case "WATER_METER" -> {
                // Showers and dishes morning and evening, over a cistern that never stops dripping (2 L/h):
                // the demo's leak, which the continuous-flow alert catches after 3 hours.
                double litresPerHour = 2 + 60 * bump(hour, 7.5, 0.8) + 90 * bump(hour, 20, 1.0);
                indexes[slot] = (indexes[slot] == 0 ? 120_000 : indexes[slot]) + litresPerHour * hours;
                yield f("\"volume_l\":%.3f", indexes[slot]);
            }
            case "PV_PRODUCTION" -> {
                double kw = 9 * sun(local) * (0.85 + 0.15 * random.nextDouble());
                indexes[slot] = (indexes[slot] == 0 ? 25_000 : indexes[slot]) + kw * hours;
                // The panels warm in the sun: the inverter reports their temperature (PhotovoltaicMeasurement's).
                yield f("\"energy_kwh\":%.3f,\"power_w\":%.0f,\"temperature_c\":%.1f", indexes[slot], kw * 1000, 8 + 30 * sun(local));
            }
            case "AIR_QUALITY" -> {
                double traffic = bump(hour, 8.5, 1.5) + bump(hour, 18, 2);
                yield f("\"pm2_5_ugm3\":%.1f,\"pm10_ugm3\":%.1f,\"no2_ugm3\":%.1f,\"o3_ugm3\":%.1f", 8 + 14 * traffic + 3 * random.nextDouble(),
                        15 + 20 * traffic + 4 * random.nextDouble(), 12 + 30 * traffic, 30 + 40 * bump(hour, 15, 3));
            }
            case "NOISE" -> f("\"laeq_db\":%.1f", 38 + 25 * Math.min(1, bump(hour, 8, 2) + bump(hour, 18, 2) + 0.5 * bump(hour, 13, 4))
                    + 2 * random.nextDouble());
            case "PARKING_SENSOR" -> "\"occupied\":" + (random.nextDouble() < 0.3 + 0.5 * bump(hour, 10, 3));
            default -> throw new IllegalArgumentException("no model for " + d.kind());
        };
        return String.format(Locale.ROOT, "{\"at\":\"%s\",%s}", at, values);
    }

    /** Numbers with a dot, whatever the machine's locale: this is JSON. */
    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A smooth daily bump centred on {@code centre} hours. */
    private static double bump(double hour, double centre, double width) {
        double x = (hour - centre) / width;
        return Math.exp(-x * x);
    }

    /** Sun elevation factor at the territory's latitude (45.76° N): 0 at night, 1 at a summer noon. */
    static double sun(ZonedDateTime at) {
        double latitude = Math.toRadians(45.76);
        double declination = Math.toRadians(23.44) * Math.sin(2 * Math.PI * (at.getDayOfYear() - 81) / 365.0);
        double solarHour = at.withZoneSameInstant(java.time.ZoneOffset.UTC).getHour() + at.getMinute() / 60.0 + 4.83 / 15;
        double hourAngle = Math.toRadians(15 * (solarHour - 12));
        double elevation = Math.asin(Math.sin(latitude) * Math.sin(declination) + Math.cos(latitude) * Math.cos(declination) * Math.cos(hourAngle));
        return Math.max(0, Math.sin(elevation)) / Math.sin(Math.toRadians(90 - 45.76 + 23.44));
    }

    private static void close(Connection c) {
        try {
            c.connection().disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing anyway.
        }
        c.connection().close();
        c.config().close();
    }

    @Override
    public void close() {
        // Every device disconnects at once, within one short deadline: the broker may already be stopping.
        List<java.util.concurrent.CompletableFuture<Void>> leaving = connections.values().stream()
                .map(c -> c.connection().disconnect()).toList();
        try {
            java.util.concurrent.CompletableFuture.allOf(leaving.toArray(java.util.concurrent.CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing anyway.
        }
        connections.values().forEach(c -> {
            c.connection().close();
            c.config().close();
        });
        connections.clear();
        client.close();
        bootstrap.close();
        resolver.close();
        loop.close();
    }
}
