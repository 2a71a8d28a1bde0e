package org.territoire.feedback.store;

import java.util.List;
import org.territoire.feedback.catalogue.Location;
import org.territoire.feedback.catalogue.ServiceKind;
import org.territoire.feedback.catalogue.TerritoryService;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * A catalogue service as stored: {@code pk = SERVICE#<id>, sk = SERVICE}; listed by name
 * through GSI1 (all services) and GSI2 (one kind). The schema is built once, statically,
 * without reflection.
 */
public final class ServiceItem {
    static final String GSI_ALL = "GSI1";
    static final String GSI_KIND = "GSI2";
    static final String CATALOGUE = "CATALOGUE";

    public static final TableSchema<ServiceItem> SCHEMA = StaticImmutableTableSchema.builder(ServiceItem.class, Builder.class)
            .newItemBuilder(Builder::new, Builder::build)
            .addAttribute(String.class, a -> a.name("pk").getter(ServiceItem::pk).setter(Builder::pk)
                    .tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("sk").getter(ServiceItem::sk).setter(Builder::sk)
                    .tags(StaticAttributeTags.primarySortKey()))
            .addAttribute(String.class, a -> a.name("gsi1pk").getter(ServiceItem::gsi1pk).setter(Builder::gsi1pk)
                    .tags(StaticAttributeTags.secondaryPartitionKey(GSI_ALL)))
            .addAttribute(String.class, a -> a.name("gsi1sk").getter(ServiceItem::sortName).setter(Builder::sortName)
                    .tags(StaticAttributeTags.secondarySortKey(GSI_ALL), StaticAttributeTags.secondarySortKey(GSI_KIND)))
            .addAttribute(String.class, a -> a.name("gsi2pk").getter(ServiceItem::gsi2pk).setter(Builder::gsi2pk)
                    .tags(StaticAttributeTags.secondaryPartitionKey(GSI_KIND)))
            .addAttribute(String.class, a -> a.name("type").getter(i -> "SERVICE").setter((b, v) -> { }))
            .addAttribute(String.class, a -> a.name("id").getter(ServiceItem::id).setter(Builder::id))
            .addAttribute(String.class, a -> a.name("name").getter(ServiceItem::name).setter(Builder::name))
            .addAttribute(String.class, a -> a.name("description").getter(ServiceItem::description).setter(Builder::description))
            .addAttribute(String.class, a -> a.name("kind").getter(ServiceItem::kind).setter(Builder::kind))
            .addAttribute(String.class, a -> a.name("category").getter(ServiceItem::category).setter(Builder::category))
            .addAttribute(String.class, a -> a.name("organisationId").getter(ServiceItem::organisationId).setter(Builder::organisationId))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("districts").getter(ServiceItem::districts).setter(Builder::districts))
            .addAttribute(Double.class, a -> a.name("latitude").getter(ServiceItem::latitude).setter(Builder::latitude))
            .addAttribute(Double.class, a -> a.name("longitude").getter(ServiceItem::longitude).setter(Builder::longitude))
            .addAttribute(Boolean.class, a -> a.name("experimental").getter(ServiceItem::experimental).setter(Builder::experimental))
            .addAttribute(String.class, a -> a.name("createdAt").getter(ServiceItem::createdAt).setter(Builder::createdAt))
            .addAttribute(String.class, a -> a.name("createdBy").getter(ServiceItem::createdBy).setter(Builder::createdBy))
            .addAttribute(String.class, a -> a.name("retiredAt").getter(ServiceItem::retiredAt).setter(Builder::retiredAt))
            .build();

    private final Builder b;

    private ServiceItem(Builder b) {
        this.b = b;
    }

    public static String pkOf(String id) {
        return "SERVICE#" + id;
    }

    public static ServiceItem from(TerritoryService s) {
        Builder b = new Builder();
        // A retired service keeps its item but leaves both (sparse) catalogue indexes.
        b.pk(pkOf(s.id())).sk("SERVICE").gsi1pk(s.retired() ? null : CATALOGUE)
                .gsi2pk(s.retired() ? null : CATALOGUE + "#" + s.kind().name())
                .sortName(s.name().toLowerCase(java.util.Locale.ROOT) + "#" + s.id())
                .id(s.id()).name(s.name()).description(s.description()).kind(s.kind().name()).category(s.category())
                .organisationId(s.organisationId()).districts(s.districts())
                .latitude(s.location() == null ? null : s.location().latitude())
                .longitude(s.location() == null ? null : s.location().longitude())
                .experimental(s.experimental()).createdAt(s.createdAt().toString()).createdBy(s.createdBy())
                .retiredAt(s.retired() ? s.retiredAt().toString() : null);
        return b.build();
    }

    public TerritoryService toDomain() {
        return new TerritoryService(b.id, b.name, b.description, ServiceKind.valueOf(b.kind), b.category,
                b.organisationId, b.districts == null ? List.of() : b.districts,
                b.latitude == null ? null : new Location(b.latitude, b.longitude),
                Boolean.TRUE.equals(b.experimental), java.time.Instant.parse(b.createdAt), b.createdBy,
                b.retiredAt == null ? null : java.time.Instant.parse(b.retiredAt));
    }

    String pk() { return b.pk; }
    String sk() { return b.sk; }
    String gsi1pk() { return b.gsi1pk; }
    String gsi2pk() { return b.gsi2pk; }
    String sortName() { return b.sortName; }
    String id() { return b.id; }
    String name() { return b.name; }
    String description() { return b.description; }
    String kind() { return b.kind; }
    String category() { return b.category; }
    String organisationId() { return b.organisationId; }
    List<String> districts() { return b.districts; }
    Double latitude() { return b.latitude; }
    Double longitude() { return b.longitude; }
    Boolean experimental() { return b.experimental; }
    String createdAt() { return b.createdAt; }
    String createdBy() { return b.createdBy; }
    String retiredAt() { return b.retiredAt; }

    /** The builder the immutable schema fills when reading. */
    public static final class Builder {
        private String pk, sk, gsi1pk, gsi2pk, sortName, id, name, description, kind, category, organisationId,
                createdAt, createdBy, retiredAt;
        private List<String> districts;
        private Double latitude, longitude;
        private Boolean experimental;

        Builder pk(String v) { pk = v; return this; }
        Builder sk(String v) { sk = v; return this; }
        Builder gsi1pk(String v) { gsi1pk = v; return this; }
        Builder gsi2pk(String v) { gsi2pk = v; return this; }
        Builder sortName(String v) { sortName = v; return this; }
        Builder id(String v) { id = v; return this; }
        Builder name(String v) { name = v; return this; }
        Builder description(String v) { description = v; return this; }
        Builder kind(String v) { kind = v; return this; }
        Builder category(String v) { category = v; return this; }
        Builder organisationId(String v) { organisationId = v; return this; }
        Builder districts(List<String> v) { districts = v == null ? null : List.copyOf(v); return this; }
        Builder latitude(Double v) { latitude = v; return this; }
        Builder longitude(Double v) { longitude = v; return this; }
        Builder experimental(Boolean v) { experimental = v; return this; }
        Builder createdAt(String v) { createdAt = v; return this; }
        Builder createdBy(String v) { createdBy = v; return this; }
        Builder retiredAt(String v) { retiredAt = v; return this; }

        public ServiceItem build() {
            return new ServiceItem(this);
        }
    }
}
