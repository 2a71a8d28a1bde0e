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
import java.time.Duration;
import java.time.Instant;
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
        int budgets = budgets(agent);
        int[] accounts = new DemoAccounts(platform).load(agent);
        System.out.println("Demo accounts: a census of " + accounts[0] + " people (keyed hashes only), " + accounts[1]
                + " verification requests waiting for an agent (GET /verifications).");
        System.out.println("Demo data: " + created + " catalogue services, " + evaluations + " evaluations, " + reports + " reports, "
                + resources.size() + " pooled resources, " + bookings + " bookings, " + consultations + " open consultations, "
                + budgets + " participatory budgets.");
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

    /**
     * Two participatory budgets, made through the API as agents and residents would: the
     * territory's, in its vote phase with a dozen costed projects on the map (and a duplicate
     * merged, an idea found unfeasible, some confirmed ballots and a draft left unconfirmed);
     * and last year's budget of the gare district, in its follow-up with dated updates.
     */
    int budgets(String agent) {
        String[][] ideas = {
                {"Des bancs à l'ombre au square Jean-Jaurès", "Trois bancs sous les platanes, face à l'aire de jeux.", "45.7597", "4.8422", "12000"},
                {"Une piste cyclable gare – lycée", "Relier la gare au lycée par une piste protégée le long de l'avenue.", "45.7605", "4.8600", "140000"},
                {"Une boîte à livres à la gare", "Une boîte à livres en bois près de l'arrêt de bus.", "45.7609", "4.8590", "2500"},
                {"Un jardin partagé aux Vignes", "Vingt parcelles et un composteur sur la friche de la rue des Vignes.", "45.7712", "4.8263", "35000"},
                {"Des arceaux vélos devant l'école", "Vingt arceaux couverts devant l'école Jules-Ferry.", "45.7641", "4.8357", "8000"},
                {"Une fontaine d'eau potable place du Marché", "Une fontaine à boire pour l'été, accessible en fauteuil.", "45.7646", "4.8351", "18000"},
                {"L'éclairage du chemin du stade", "Des lampadaires solaires sur les 400 m du chemin piéton.", "45.7570", "4.8410", "60000"},
                {"Un terrain de basket rénové", "Nouveau revêtement, paniers et filets au city-stade.", "45.7588", "4.8475", "45000"},
                {"Des toilettes publiques au parc", "Des toilettes sèches ouvertes toute l'année au parc du Château.", "45.7670", "4.8300", "30000"},
                {"Une micro-forêt derrière le gymnase", "600 arbres plantés serrés, avec les écoles.", "45.7555", "4.8390", "25000"},
                {"Des ralentisseurs rue Pasteur", "Deux plateaux surélevés devant la crèche.", "45.7630", "4.8380", "22000"},
                {"Un abri pour le marché du samedi", "Une halle légère pour les maraîchers, l'hiver.", "45.7649", "4.8347", "90000"}};
        Instant now = Instant.now();
        String territory = budget(agent, "territoire", """
                {"title":"Budget participatif du territoire 2027","description":"300 000 € pour les projets que vous proposez et choisissez.",
                 "amount":300000,"rule":{"kind":"KNAPSACK","minSharePercent":30},"allowChange":true,
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.minusSeconds(60), now.plus(Duration.ofDays(7)), now.plus(Duration.ofDays(14)), now.plus(Duration.ofDays(35))));
        String[][] authors = {{"ines", "les-vignes"}, {"karim", "gare"}, {"lea", "gare"}, {"amina", "centre"}, {"paul", "centre"}};
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < ideas.length; i++) {
            projects.add(project(territory, authors[i % authors.length], ideas[i][0], ideas[i][1], ideas[i][2], ideas[i][3], Long.parseLong(ideas[i][4])));
        }
        String duplicate = project(territory, authors[3], "Des bancs au square", "Des bancs dans le square Jean-Jaurès, à l'ombre.", "45.7597", "4.8421", 9000);
        String pool = project(territory, authors[4], "Une piscine olympique", "Un bassin de 50 mètres au centre-ville.", "45.7650", "4.8360", 290000);
        post(agent, "/budgets/" + territory + "/next-phase", null, null);
        for (int i = 0; i < projects.size(); i++) {
            long estimate = Math.round(Long.parseLong(ideas[i][4]) * (i % 3 == 0 ? 1.2 : 1.0) / 100.0) * 100;
            review(agent, territory, projects.get(i), "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable par les services techniques.\",\"estimatedCost\":" + estimate + "}");
        }
        review(agent, territory, duplicate, "{\"status\":\"MERGED\",\"reason\":\"Même idée que les bancs du square Jean-Jaurès.\",\"mergedInto\":\"" + projects.get(0) + "\"}");
        review(agent, territory, pool, "{\"status\":\"UNFEASIBLE\",\"reason\":\"Coûte presque tout le budget et relève de la métropole.\"}");
        post(agent, "/budgets/" + territory + "/next-phase", null, null);
        int[][] ballots = {{0, 3, 5, 9}, {1, 2, 4}, {0, 7, 9, 10, 3}, {1, 4, 6}, {3, 5, 8, 11}};
        for (int v = 0; v < ballots.length; v++) {
            String token = platform.issuer().mint(LocalIssuer.User.of(authors[v][0], "resident").inDistrict(authors[v][1]));
            var ids = Json.MAPPER.createArrayNode();
            for (int p : ballots[v]) {
                ids.add(projects.get(p));
            }
            post(token, "/budgets/" + territory + "/ballot", null, Json.MAPPER.createObjectNode().set("projectIds", ids), "PUT");
            post(token, "/budgets/" + territory + "/ballot/confirm", null, null);
        }
        String unsure = platform.issuer().mint(LocalIssuer.User.of("resident-demo", "resident").inDistrict("centre"));
        post(unsure, "/budgets/" + territory + "/ballot", null, Json.tree("{\"projectIds\":[\"" + projects.get(2) + "\"]}"), "PUT");

        String gare = budget(agent, "gare-2026", """
                {"title":"Budget participatif 2026 — quartier de la gare","description":"80 000 € pour le quartier de la gare.",
                 "district":"gare","amount":80000,"rule":{"kind":"SELECT_N","minProjects":1,"maxProjects":2},
                 "schedule":{"proposalsOpenAt":"%s","reviewOpensAt":"%s","voteOpensAt":"%s","voteClosesAt":"%s"}}"""
                .formatted(now.minusSeconds(60), now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3))));
        String[][] past = {{"Un parvis végétalisé devant la gare", "Des bacs plantés et des bancs sur le parvis.", "45.7607", "4.8595", "50000"},
                {"Un local à vélos sécurisé", "Quarante places fermées par badge, près des quais.", "45.7611", "4.8602", "30000"},
                {"Une fresque sous le pont", "Une fresque peinte avec les habitants sous le pont SNCF.", "45.7600", "4.8580", "15000"}};
        List<String> done = new ArrayList<>();
        for (String[] p : past) {
            done.add(project(gare, authors[1], p[0], p[1], p[2], p[3], Long.parseLong(p[4])));
        }
        post(agent, "/budgets/" + gare + "/next-phase", null, null);
        for (int i = 0; i < done.size(); i++) {
            review(agent, gare, done.get(i), "{\"status\":\"FEASIBLE\",\"reason\":\"Faisable.\",\"estimatedCost\":" + past[i][4] + "}");
        }
        post(agent, "/budgets/" + gare + "/next-phase", null, null);
        String[][] voters = {{"karim", "0", "1"}, {"lea", "0", "2"}, {"gare-1", "1", "2"}, {"gare-2", "0", "1"}};
        for (String[] v : voters) {
            String token = platform.issuer().mint(LocalIssuer.User.of(v[0], "resident").inDistrict("gare"));
            post(token, "/budgets/" + gare + "/ballot", null, Json.tree("{\"projectIds\":[\"" + done.get(Integer.parseInt(v[1])) + "\",\""
                    + done.get(Integer.parseInt(v[2])) + "\"]}"), "PUT");
            post(token, "/budgets/" + gare + "/ballot/confirm", null, null);
        }
        post(agent, "/budgets/" + gare + "/next-phase", null, null);
        post(agent, "/budgets/" + gare + "/publish-results", null, null);
        // Selected: the bike shelter and the parvis (3 votes each, the cheaper first), 80 000 € in all; the fresco (2 votes) no longer fits.
        String[][] updates = {{"0", "2026-03-02", "Étude paysagère rendue ; choix des essences avec le conseil de quartier."},
                {"0", "2026-05-18", "Début des travaux de voirie."}, {"0", "2026-09-30", "Plantations faites ; les bancs arrivent en octobre."},
                {"1", "2026-04-10", "Local commandé."}, {"1", "2026-06-25", "Local posé et ouvert : badge à la mairie annexe."}};
        for (String[] u : updates) {
            post(agent, "/budgets/" + gare + "/projects/" + done.get(Integer.parseInt(u[0])) + "/updates", null,
                    Json.MAPPER.createObjectNode().put("date", u[1]).put("text", u[2]));
        }
        post(agent, "/budgets/" + gare + "/projects/" + done.get(0) + "/implementation", null, Json.tree("{\"status\":\"IN_PROGRESS\",\"percent\":80}"), "PUT");
        post(agent, "/budgets/" + gare + "/projects/" + done.get(1) + "/implementation", null, Json.tree("{\"status\":\"DONE\",\"percent\":100}"), "PUT");
        post(agent, "/budgets/" + gare + "/next-phase", null, null);
        return 2;
    }

    private String budget(String agent, String name, String body) {
        String id = post(agent, "/budgets", "demo-budget-" + name, Json.tree(body)).path("id").asText();
        post(agent, "/budgets/" + id + "/schedule", "demo-budget-schedule-" + name, null);
        return id;
    }

    private String project(String budget, String[] author, String title, String description, String latitude, String longitude, long cost) {
        String token = platform.issuer().mint(LocalIssuer.User.of(author[0], "resident").inDistrict(author[1]));
        var body = Json.MAPPER.createObjectNode().put("title", title).put("description", description).put("cost", cost);
        body.putObject("location").put("latitude", Double.parseDouble(latitude)).put("longitude", Double.parseDouble(longitude));
        return post(token, "/budgets/" + budget + "/projects", null, body).path("id").asText();
    }

    private void review(String agent, String budget, String project, String body) {
        post(agent, "/budgets/" + budget + "/projects/" + project + "/review", null, Json.tree(body), "PUT");
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
