package org.territoire.consultations.consultation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consultation's anonymised results as open data: the CSV in two dialects, and the
 * description an open-data portal harvests.
 *
 * <ul>
 *   <li>{@link Dialect#RFC4180}: comma-separated, UTF-8 without a byte order mark, decimal
 *       point. For programs (pandas, R, csvkit) and the portals' validators.</li>
 *   <li>{@link Dialect#EXCEL_FR}: semicolon-separated, UTF-8 with a byte order mark, decimal
 *       comma. A French spreadsheet opens it into columns, reads its accents and takes its
 *       numbers as numbers. Without the mark, Excel reads the file as Windows-1252; with
 *       commas, a French locale sees one column; with a decimal point, 12.5 becomes text or a
 *       date.</li>
 * </ul>
 *
 * <p>Both carry the same rows. There is one row per choice or scale value (and one per
 * free-text question, with its number of answers and never the texts). The question's
 * {@code average} is on each of its rows: the JSON's figure, empty for questions without a
 * scale. {@link #metadata} is a DCAT {@code Dataset} in JSON-LD with a CSVW table schema
 * naming every column. Its context is inline, so it expands without fetching anything.
 */
public final class OpenData {
    /** Etalab's Licence Ouverte 2.0, the licence of French public-sector open data (compatible with CC BY). */
    public static final String LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

    public enum Dialect {
        RFC4180(',', false, '.'), EXCEL_FR(';', true, ',');

        final char separator;
        final boolean byteOrderMark;
        final char decimal;

        Dialect(char separator, boolean byteOrderMark, char decimal) {
            this.separator = separator;
            this.byteOrderMark = byteOrderMark;
            this.decimal = decimal;
        }
    }

    /** A column: its name in the header, its description, and its CSVW datatype. */
    record Column(String name, String title, String datatype) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("consultation_id", "Identifiant de la consultation", "string"),
            new Column("question_id", "Identifiant de la question", "string"),
            new Column("question", "Texte de la question", "string"),
            new Column("type", "Type de question (SINGLE_CHOICE, MULTIPLE_CHOICE, SCALE, FREE_TEXT)", "string"),
            new Column("answered", "Nombre de participants ayant répondu à la question", "integer"),
            new Column("key", "Clé du choix ou valeur de l'échelle", "string"),
            new Column("label", "Libellé du choix", "string"),
            new Column("count", "Nombre de réponses pour ce choix", "integer"),
            new Column("percentage", "Part des répondants à la question ayant donné ce choix (%)", "decimal"),
            new Column("average", "Moyenne de l'échelle pour la question (vide hors échelle)", "decimal"));

    private OpenData() {
    }

    /** The CSV bytes in this dialect; {@code rows} is {@link Results#withoutTexts()}'s content. */
    public static byte[] csv(Results results, Dialect dialect) {
        StringBuilder out = new StringBuilder();
        if (dialect.byteOrderMark) {
            out.append('\uFEFF');
        }
        out.append(String.join(String.valueOf(dialect.separator), COLUMNS.stream().map(Column::name).toList())).append("\r\n");
        for (Results.QuestionResult q : results.questions()) {
            if (q.counts().isEmpty()) {
                row(out, dialect, results, q, "", "", q.answered(), 100.0);
            }
            for (Results.Count count : q.counts()) {
                row(out, dialect, results, q, count.key(), count.label(), count.count(), count.percentage());
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder out, Dialect d, Results r, Results.QuestionResult q, String key, String label,
                            long count, double percentage) {
        List<String> cells = List.of(cell(r.consultationId(), d), cell(q.questionId(), d), cell(q.text(), d), q.type().name(),
                String.valueOf(q.answered()), cell(key, d), cell(label, d), String.valueOf(count), decimal(percentage, d),
                q.average() == null ? "" : decimal(q.average(), d));
        out.append(String.join(String.valueOf(d.separator), cells)).append("\r\n");
    }

    /** The figure as the JSON writes it (100.0, 33.33), with this dialect's decimal mark. */
    private static String decimal(double value, Dialect d) {
        String plain = String.valueOf(value);
        return d.decimal == '.' ? plain : plain.replace('.', d.decimal);
    }

    /**
     * RFC 4180 quoting for this dialect's separator, and a leading quote mark for text a
     * spreadsheet would run as a formula (OWASP "CSV injection").
     */
    static String cell(String value, Dialect d) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote = v.indexOf(d.separator) >= 0 || v.contains("\"") || v.contains("\n") || v.contains("\r");
        return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    /**
     * The dataset's description: a DCAT {@code Dataset} with its title, description, licence,
     * publisher, dates, one distribution per format, and a CSVW table schema for the CSV.
     * {@code exportUrl} is the absolute URL of the export route, without a query string.
     */
    public static Map<String, Object> metadata(Consultation c, Results results, String exportUrl, String publisher,
                                               Instant generatedAt) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("dcat", "http://www.w3.org/ns/dcat#");
        context.put("dct", "http://purl.org/dc/terms/");
        context.put("foaf", "http://xmlns.com/foaf/0.1/");
        context.put("csvw", "http://www.w3.org/ns/csvw#");
        context.put("xsd", "http://www.w3.org/2001/XMLSchema#");

        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("@context", context);
        dataset.put("@id", exportUrl);
        dataset.put("@type", "dcat:Dataset");
        dataset.put("dct:identifier", c.id());
        dataset.put("dct:title", Map.of("@value", "Résultats : " + c.title(), "@language", "fr"));
        dataset.put("dct:description", Map.of("@value", "Résultats anonymisés de la consultation « " + c.title() + " » ("
                + results.participants() + " participants) : une ligne par choix ou valeur d'échelle, sans les réponses libres.",
                "@language", "fr"));
        dataset.put("dct:license", Map.of("@id", LICENCE));
        dataset.put("dct:publisher", Map.of("@type", "foaf:Agent", "foaf:name", publisher));
        dataset.put("dct:issued", dateTime(c.resultsPublishedAt() != null ? c.resultsPublishedAt() : c.closesAt()));
        dataset.put("dct:modified", dateTime(generatedAt));
        dataset.put("dct:temporal", Map.of("@type", "dct:PeriodOfTime",
                "dcat:startDate", dateTime(c.opensAt()), "dcat:endDate", dateTime(c.closesAt())));
        dataset.put("dct:spatial", c.districts().isEmpty() ? "territoire" : String.join(", ", c.districts()));
        dataset.put("dcat:keyword", List.of("consultation", "participation citoyenne"));

        List<Map<String, Object>> distributions = new ArrayList<>();
        distributions.add(distribution(exportUrl + "?format=csv", "text/csv", "CSV (RFC 4180, UTF-8, virgule)", true));
        distributions.add(distribution(exportUrl + "?format=csv-fr", "text/csv",
                "CSV pour tableur français (UTF-8 avec BOM, point-virgule, virgule décimale)", true));
        distributions.add(distribution(exportUrl + "?format=json", "application/json", "JSON", false));
        dataset.put("dcat:distribution", distributions);
        return dataset;
    }

    private static Map<String, Object> distribution(String url, String mediaType, String title, boolean csv) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("@type", "dcat:Distribution");
        d.put("dct:title", Map.of("@value", title, "@language", "fr"));
        d.put("dcat:downloadURL", Map.of("@id", url));
        d.put("dcat:mediaType", Map.of("@id", "https://www.iana.org/assignments/media-types/" + mediaType));
        d.put("dct:license", Map.of("@id", LICENCE));
        if (csv) {
            List<Map<String, Object>> columns = new ArrayList<>();
            for (Column column : COLUMNS) {
                columns.add(Map.of("csvw:name", column.name(), "csvw:titles", column.title(),
                        "csvw:datatype", Map.of("@id", "xsd:" + column.datatype())));
            }
            d.put("csvw:tableSchema", Map.of("@type", "csvw:Schema", "csvw:column", columns));
        }
        return d;
    }

    private static Map<String, Object> dateTime(Instant at) {
        return Map.of("@value", org.territoire.shared.json.Json.time(at), "@type", "xsd:dateTime");
    }
}
