package org.territoire.feedback.open311;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.util.Map;
import java.util.Map.Entry;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.territoire.shared.json.Json;

/**
 * GeoReport v2's XML, the specification's default format, written from the very records the
 * JSON answers are: each answer is the JSON tree of the same record, so the two formats cannot
 * drift apart. The shapes follow the examples of https://wiki.open311.org/GeoReport_v2: a list
 * is a root element holding one element per item ({@code <services><service>},
 * {@code <service_requests><request>}, {@code <errors><error>}), a member is an element of its
 * name, a list member holds its items under the singular ({@code <formats><format>}), and an
 * empty field is an empty element (clients index fields directly, as in JSON).
 *
 * <p>Written with the JDK's own StAX writer ({@link XMLOutputFactory#newDefaultFactory()}, not
 * whatever provider the class path offers), which escapes markup in text. Characters XML 1.0
 * cannot carry at all (control characters, unpaired surrogates) become U+FFFD, so a report's
 * text never makes the document ill-formed.
 */
final class GeoReportXml {
    /** As the specification's discovery example names the format. */
    static final String FORMAT = "text/xml";
    static final String MEDIA_TYPE = FORMAT + "; charset=utf-8";

    /** Each GeoReport document: its root element, and its items' element when it is a list. */
    enum Shape {
        DISCOVERY("discovery", null),
        SERVICES("services", "service"),
        SERVICE_DEFINITION("service_definition", null),
        SERVICE_REQUESTS("service_requests", "request"),
        ERRORS("errors", "error");

        final String root;
        final String item;

        Shape(String root, String item) {
            this.root = root;
            this.item = item;
        }
    }

    /** List members inside a document, and the element each of their items takes. */
    private static final Map<String, String> ITEMS = Map.of("endpoints", "endpoint", "formats", "format",
            "attributes", "attribute", "values", "value");

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newDefaultFactory();

    private GeoReportXml() {
    }

    /** {@code body} (a record, or a list of records for a list shape) as the shape's XML document. */
    static String write(Shape shape, Object body) {
        JsonNode tree = Json.MAPPER.valueToTree(body);
        if ((shape.item != null) != tree.isArray()) {
            throw new IllegalArgumentException(shape + " takes " + (shape.item != null ? "a list" : "one record"));
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement(shape.root);
            if (shape.item != null) {
                for (JsonNode item : tree) {
                    element(xml, shape.item, item);
                }
            } else {
                members(xml, tree);
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not write a GeoReport XML document", e);
        }
        return out.toString();
    }

    private static void members(XMLStreamWriter xml, JsonNode object) throws XMLStreamException {
        for (Entry<String, JsonNode> member : object.properties()) {
            element(xml, member.getKey(), member.getValue());
        }
    }

    private static void element(XMLStreamWriter xml, String name, JsonNode value) throws XMLStreamException {
        xml.writeStartElement(name);
        if (value.isObject()) {
            members(xml, value);
        } else if (value.isArray()) {
            String item = ITEMS.get(name);
            if (item == null) {
                throw new IllegalArgumentException("no item element is known for the list " + name);
            }
            for (JsonNode each : value) {
                element(xml, item, each);
            }
        } else if (!value.isNull()) {
            xml.writeCharacters(xmlText(value.asText()));
        }
        xml.writeEndElement();
    }

    /** The text with every character XML 1.0 forbids replaced by U+FFFD (https://www.w3.org/TR/xml/#charsets). */
    static String xmlText(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int width = Character.charCount(c);
            boolean allowed = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD
                    || c >= 0x10000 && c <= 0x10FFFF;
            if (!allowed && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                if (allowed) {
                    out.appendCodePoint(c);
                } else {
                    out.append('\uFFFD');
                }
            }
            i += width;
        }
        return out == null ? text : out.toString();
    }
}
