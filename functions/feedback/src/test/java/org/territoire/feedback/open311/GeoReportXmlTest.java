package org.territoire.feedback.open311;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The XML documents, read back by the JDK's DOM parser: shapes of the specification's examples, escaping, forbidden characters. */
@Tag("unit")
class GeoReportXmlTest {

    @Test
    void aListOfRequests_isServiceRequestsOfRequest_withEveryFieldAnElement_andEmptyOnesEmpty() throws Exception {
        var request = new GeoReport.ServiceRequest("r-1", "open", "acknowledged", "Voirie", "svc-1", null, "voirie", null,
                "2026-11-25T09:30:00Z", "2026-11-25T10:00:00Z", null, "12 rue Neuve", null, null, 45.7578, 4.832, null);

        Document doc = parse(GeoReportXml.write(GeoReportXml.Shape.SERVICE_REQUESTS, List.of(request)));

        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("service_requests");
        Element one = (Element) root.getElementsByTagName("request").item(0);
        assertThat(text(one, "service_request_id")).isEqualTo("r-1");
        assertThat(text(one, "lat")).isEqualTo("45.7578");
        assertThat(text(one, "long")).isEqualTo("4.832");
        assertThat(one.getElementsByTagName("description").getLength()).isEqualTo(1);
        assertThat(text(one, "description")).isEmpty();
        assertThat(one.getElementsByTagName("zipcode").getLength()).isEqualTo(1);
        assertThat(one.getChildNodes().getLength()).isEqualTo(17);
    }

    @Test
    void nestedLists_takeTheSingular_asInTheDiscoveryAndDefinitionExamples() throws Exception {
        var discovery = new GeoReport.Discovery("2026-11-25T00:00:00Z", "contact", "keys", List.of(new GeoReport.Endpoint(
                "http://wiki.open311.org/GeoReport_v2", "https://x.example/open311/v2", "2026-11-25T00:00:00Z", "production",
                List.of("text/xml", "application/json"))));
        Document doc = parse(GeoReportXml.write(GeoReportXml.Shape.DISCOVERY, discovery));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("discovery");
        Element endpoint = (Element) doc.getElementsByTagName("endpoints").item(0).getFirstChild();
        assertThat(endpoint.getTagName()).isEqualTo("endpoint");
        assertThat(endpoint.getElementsByTagName("format").item(0).getTextContent()).isEqualTo("text/xml");
        assertThat(endpoint.getElementsByTagName("format").item(1).getTextContent()).isEqualTo("application/json");

        var definition = new GeoReport.ServiceDefinition("svc-1", List.of(new GeoReport.Attribute(true, "contact_preference",
                "singlevaluelist", false, "One of the keys", 1, "How?", List.of(new GeoReport.Value("NONE", "No")))));
        Document def = parse(GeoReportXml.write(GeoReportXml.Shape.SERVICE_DEFINITION, definition));
        Element attribute = (Element) def.getElementsByTagName("attributes").item(0).getFirstChild();
        assertThat(attribute.getTagName()).isEqualTo("attribute");
        assertThat(text(attribute, "required")).isEqualTo("false");
        assertThat(text(attribute, "order")).isEqualTo("1");
        assertThat(((Element) attribute.getElementsByTagName("values").item(0).getFirstChild()).getTagName()).isEqualTo("value");
    }

    @Test
    void markupInText_isEscaped_andCharactersXmlCannotCarry_becomeReplacementCharacters() throws Exception {
        String hostile = "<b>&amp;</b> \"quoted\" 'single' ]]> <!-- x --> <?pi?>";
        String forbidden = "bell\u0007 nul\u0000 lone\uD800 ok\uD83D\uDE00 tab\t";
        String written = GeoReportXml.write(GeoReportXml.Shape.ERRORS, List.of(new GeoReport.Error(400, hostile),
                new GeoReport.Error(400, forbidden)));

        Document doc = parse(written);
        assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(2);
        assertThat(doc.getElementsByTagName("description").item(0).getTextContent()).isEqualTo(hostile);
        assertThat(doc.getElementsByTagName("description").item(1).getTextContent())
                .isEqualTo("bell\uFFFD nul\uFFFD lone\uFFFD ok\uD83D\uDE00 tab\t");
        assertThat(doc.getElementsByTagName("code").item(0).getTextContent()).isEqualTo("400");
        assertThat(written).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><errors>");
    }

    @Test
    void aListShape_refusesOneRecord_andTheOtherWayRound() {
        assertThatThrownBy(() -> GeoReportXml.write(GeoReportXml.Shape.ERRORS, new GeoReport.Error(400, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GeoReportXml.write(GeoReportXml.Shape.DISCOVERY, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Element parent, String name) {
        return parent.getElementsByTagName(name).item(0).getTextContent();
    }
}
