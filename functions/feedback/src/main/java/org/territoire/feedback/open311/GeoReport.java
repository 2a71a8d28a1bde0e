package org.territoire.feedback.open311;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the GeoReport v2 routes answer, one record per shape, with the field names GeoReport
 * gives them. https://wiki.open311.org/GeoReport_v2
 */
final class GeoReport {
    private GeoReport() {
    }

    record Discovery(String changeset, String contact, @JsonProperty("key_service") String keyService, List<Endpoint> endpoints) {
    }

    record Endpoint(String specification, String url, String changeset, String type, List<String> formats) {
    }

    /** Every field GeoReport lists is present, null when empty: clients index them directly. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Service(@JsonProperty("service_code") String serviceCode, @JsonProperty("service_name") String serviceName,
                   String description, boolean metadata, String type, String keywords, String group) {
    }

    record ServiceDefinition(@JsonProperty("service_code") String serviceCode, List<Attribute> attributes) {
    }

    record Attribute(boolean variable, String code, String datatype, boolean required,
                     @JsonProperty("datatype_description") String datatypeDescription, int order, String description,
                     List<Value> values) {
    }

    record Value(String key, String name) {
    }

    record Filed(@JsonProperty("service_request_id") String serviceRequestId, String token,
                 @JsonProperty("service_notice") String serviceNotice) {
    }

    record Token(@JsonProperty("service_request_id") String serviceRequestId, String token) {
    }

    /** Every field GeoReport lists is present, null when empty: clients index them directly. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ServiceRequest(@JsonProperty("service_request_id") String serviceRequestId, String status,
                          @JsonProperty("status_notes") String statusNotes, @JsonProperty("service_name") String serviceName,
                          @JsonProperty("service_code") String serviceCode, String description,
                          @JsonProperty("agency_responsible") String agencyResponsible,
                          @JsonProperty("service_notice") String serviceNotice,
                          @JsonProperty("requested_datetime") String requestedDatetime,
                          @JsonProperty("updated_datetime") String updatedDatetime,
                          @JsonProperty("expected_datetime") String expectedDatetime, String address,
                          @JsonProperty("address_id") String addressId, String zipcode, Double lat,
                          @JsonProperty("long") Double lon, @JsonProperty("media_url") String mediaUrl) {
    }

    /** GeoReport's error: {@code {"code": 400, "description": "..."}}, in a list. */
    record Error(int code, String description) {
    }
}
