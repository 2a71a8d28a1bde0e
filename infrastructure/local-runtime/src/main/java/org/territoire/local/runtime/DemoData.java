package org.territoire.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.territoire.shared.json.Json;

/**
 * A living territory for newcomers, loaded through the HTTP API itself (so it follows every
 * rule a client would). Each request carries an Idempotency-Key, so loading twice into a
 * running endpoint adds nothing.
 */
final class DemoData {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private final LocalPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoData(LocalPlatform platform) {
        this.platform = platform;
    }

    void load() {
        String agent = platform.issuer().mint(LocalIssuer.User.of("demo-loader", "agent").ofOrganisation("mairie"));
        JsonNode services = read("/demo/services.json");
        int created = 0;
        List<String> serviceIds = new ArrayList<>();
        for (JsonNode service : services) {
            JsonNode answer = post(agent, "/services", "demo-service-" + service.path("name").asText(), service);
            created += answer.has("id") ? 1 : 0;
            serviceIds.add(answer.path("id").asText());
        }
        int evaluations = 0;
        String[][] residents = {{"resident-demo", "centre"}, {"lea", "gare"}, {"karim", "gare"}, {"ines", "les-vignes"}};
        for (int s = 0; s < Math.min(8, serviceIds.size()); s++) {
            for (int r = 0; r < residents.length; r++) {
                if ((s + r) % 3 == 0) {
                    continue;
                }
                String token = platform.issuer().mint(LocalIssuer.User.of(residents[r][0], "resident").inDistrict(residents[r][1]));
                var body = Json.MAPPER.createObjectNode().put("rating", 2 + (s * 3 + r) % 4)
                        .put("comment", (s + r) % 2 == 0 ? "Très utile au quotidien." : "Bien, mais les horaires pourraient être élargis.");
                evaluations += post(token, "/services/" + serviceIds.get(s) + "/evaluations",
                        "demo-evaluation-" + s + "-" + r, body).has("rating") ? 1 : 0;
            }
        }
        int reports = 0;
        String[][] problems = {{"Conteneur de tri débordant rue des Lilas", "45.7651", "4.8362"},
                {"Lampadaire éteint devant l'école", "45.7641", "4.8357"}, {"Dépôt sauvage près de la déchetterie", "45.7689", "4.8401"}};
        String reporter = platform.issuer().mint(LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre"));
        for (int p = 0; p < problems.length && serviceIds.size() > 5; p++) {
            var body = Json.MAPPER.createObjectNode().put("serviceId", serviceIds.get(5)).put("description", problems[p][0])
                    .put("latitude", Double.parseDouble(problems[p][1])).put("longitude", Double.parseDouble(problems[p][2]));
            JsonNode report = post(reporter, "/reports", "demo-report-" + p, body);
            reports += report.has("id") ? 1 : 0;
            if (p == 0 && report.has("id")) {
                post(agent, "/reports/" + report.get("id").asText() + "/status", null,
                        Json.tree("{\"status\":\"ACKNOWLEDGED\",\"note\":\"Collecte supplémentaire prévue jeudi.\"}"));
            }
        }
        List<String> resources = new ArrayList<>();
        for (JsonNode resource : read("/demo/resources.json")) {
            resources.add(post(agent, "/resources", "demo-resource-" + resource.path("name").asText(), resource)
                    .path("id").asText());
        }
        post(agent, "/quotas/CAR_SHARING", null, Json.tree("{\"maxActive\":2,\"maxHoursPerWeek\":10}"), "PUT");
        // Some bookings over the coming days, by a few residents.
        LocalDate tomorrow = LocalDate.now(PARIS).plusDays(1);
        int bookings = 0;
        bookings += book(resources.get(0), "resident-demo", "centre", tomorrow.atTime(9, 0), 3) ? 1 : 0;
        bookings += book(resources.get(1), "resident-demo", "centre", tomorrow.atTime(8, 0), 10) ? 1 : 0;
        bookings += book(resources.get(2), "lea", "gare", nextWeekday(tomorrow.plusDays(1)).atTime(18, 0), 3) ? 1 : 0;
        bookings += book(resources.get(5), "karim", "gare", nextWeekday(tomorrow).atTime(9, 0), 8) ? 1 : 0;
        bookings += book(resources.get(8), "lea", "gare", tomorrow.atStartOfDay(), 48) ? 1 : 0;
        int consultations = consultations(agent, serviceIds);
        int[] accounts = new DemoAccounts(platform).load(agent);
        System.out.println("Demo accounts: a census of " + accounts[0] + " people (keyed hashes only), " + accounts[1]
                + " verification requests waiting for an agent (GET /verifications).");
        System.out.println("Demo data: " + created + " catalogue services, " + evaluations + " evaluations, " + reports + " reports, "
                + resources.size() + " pooled resources, " + bookings + " bookings, " + consultations + " open consultations.");
    }

    /** An open poll with answers, a proposals consultation with supported ideas, and an experiment with feedback. */
    private int consultations(String agent, List<String> serviceIds) {
        String opens = java.time.Instant.now().minusSeconds(60).toString();
        String closes = java.time.Instant.now().plus(java.time.Duration.ofDays(21)).toString();
        String poll = consultation(agent, "poll", """
                {"title":"Le nouveau marché du centre","description":"Quel jour, quels produits ? Aidez-nous à organiser le marché.",
                 "kind":"POLL","districts":["centre","gare"],"opensAt":"%s","closesAt":"%s","allowChange":true,"liveResults":true,
                 "questions":[{"text":"Quel jour pour le marché ?","type":"SINGLE_CHOICE","choices":["Mardi matin","Samedi matin","Dimanche matin"]},
                  {"text":"Quels produits vous manquent ?","type":"MULTIPLE_CHOICE","choices":["Fruits et légumes","Fromages","Pain","Fleurs"],"maxChoices":2},
                  {"text":"Viendriez-vous ?","type":"SCALE"},{"text":"Une suggestion ?","type":"FREE_TEXT","optional":true}]}"""
                .formatted(opens, closes));
        String[][] voters = {{"resident-demo", "centre", "c2", "c1", "5"}, {"lea", "gare", "c2", "c3", "4"}, {"karim", "gare", "c1", "c1", "3"},
                {"amina", "centre", "c2", "c2", "5"}, {"paul", "centre", "c3", "c4", "2"}};
        for (String[] v : voters) {
            String token = platform.issuer().mint(LocalIssuer.User.of(v[0], "resident").inDistrict(v[1]));
            post(token, "/consultations/" + poll + "/participation", "demo-vote-" + v[0], Json.tree("""
                    {"answers":[{"questionId":"q1","choices":["%s"]},{"questionId":"q2","choices":["%s"]},{"questionId":"q3","value":%s}]}"""
                    .formatted(v[2], v[3], v[4])));
        }
        String ideas = consultation(agent, "proposals", """
                {"title":"Budget participatif 2027","description":"Proposez vos projets pour le quartier ; 5 soutiens appellent une réponse de la mairie.",
                 "kind":"PROPOSALS","opensAt":"%s","closesAt":"%s","supportThreshold":5}""".formatted(opens, closes));
        String[][] proposals = {{"ines", "les-vignes", "Des bancs à l'ombre au square", "Installer trois bancs sous les platanes du square Jean-Jaurès."},
                {"karim", "gare", "Une piste cyclable gare – lycée", "Relier la gare au lycée par une piste protégée le long de l'avenue."},
                {"lea", "gare", "Une boîte à livres", "Une boîte à livres en bois près de l'arrêt de bus de la gare."}};
        String[] supporters = {"resident-demo", "lea", "karim", "ines", "amina", "paul"};
        for (int p = 0; p < proposals.length; p++) {
            String author = platform.issuer().mint(LocalIssuer.User.of(proposals[p][0], "resident").inDistrict(proposals[p][1]));
            String id = post(author, "/consultations/" + ideas + "/proposals", "demo-proposal-" + p, Json.MAPPER.createObjectNode()
                    .put("title", proposals[p][2]).put("body", proposals[p][3])).path("id").asText();
            for (int s = 0; s < supporters.length - 2 * p; s++) {
                String token = platform.issuer().mint(LocalIssuer.User.of(supporters[s], "resident").inDistrict("centre"));
                post(token, "/consultations/" + ideas + "/proposals/" + id + "/support", "demo-support-" + p + "-" + s, null);
            }
        }
        String service = serviceIds.isEmpty() ? "pilot" : serviceIds.get(serviceIds.size() - 1);
        String pilot = consultation(agent, "experiment", """
                {"title":"Expérimentation : navette solidaire","description":"Pendant trois mois, une navette relie les hameaux au centre. Votre avis ?",
                 "kind":"EXPERIMENT","serviceId":"%s","opensAt":"%s","closesAt":"%s","allowChange":true,
                 "questions":[{"text":"Avez-vous utilisé la navette ?","type":"SINGLE_CHOICE","choices":["Jamais","Parfois","Souvent"]},
                  {"text":"Votre satisfaction","type":"SCALE"},{"text":"Que faudrait-il changer ?","type":"FREE_TEXT","optional":true}]}"""
                .formatted(service, opens, closes));
        String[][] riders = {{"lea", "c3", "5", "Un passage de plus le samedi."}, {"karim", "c2", "4", "Très pratique pour le marché."}};
        for (String[] r : riders) {
            String token = platform.issuer().mint(LocalIssuer.User.of(r[0], "resident").inDistrict("gare"));
            post(token, "/consultations/" + pilot + "/participation", "demo-pilot-" + r[0], Json.tree("""
                    {"answers":[{"questionId":"q1","choices":["%s"]},{"questionId":"q2","value":%s},{"questionId":"q3","text":"%s"}]}"""
                    .formatted(r[1], r[2], r[3])));
        }
        return 3;
    }

    private String consultation(String agent, String name, String body) {
        String id = post(agent, "/consultations", "demo-consultation-" + name, Json.tree(body)).path("consultation").path("id").asText();
        post(agent, "/consultations/" + id + "/schedule", "demo-schedule-" + name, null);
        return id;
    }

    private boolean book(String resourceId, String user, String district, LocalDateTime start, int hours) {
        String token = platform.issuer().mint(LocalIssuer.User.of(user, "resident").inDistrict(district));
        var body = Json.MAPPER.createObjectNode().put("resourceId", resourceId)
                .put("start", start.atZone(PARIS).toOffsetDateTime().toString())
                .put("end", start.plusHours(hours).atZone(PARIS).toOffsetDateTime().toString()).put("units", 1);
        return post(token, "/bookings", "demo-booking-" + resourceId + "-" + start, body).has("id");
    }

    private static LocalDate nextWeekday(LocalDate day) {
        LocalDate d = day;
        while (d.getDayOfWeek().getValue() > 5) {
            d = d.plusDays(1);
        }
        return d;
    }

    private JsonNode post(String token, String path, String key, JsonNode body) {
        return post(token, path, key, body, "POST");
    }

    private JsonNode post(String token, String path, String key, JsonNode body, String method) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (key != null) {
            builder.header("Idempotency-Key", key.replaceAll("[^!-~]", "-"));
        }
        HttpRequest request = builder.build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("demo data refused at " + path + ": " + response.statusCode() + " " + response.body());
            }
            return Json.tree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = DemoData.class.getResourceAsStream(resource)) {
            return Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
