package org.territoire.local.aws;

import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * Creates each {@code AWS::IoT::Policy} of the template in the local endpoint, named by its
 * logical id (what {@code !Ref} gives locally), so that device registration can attach it.
 * The local endpoint does not enforce IoT policies; the local broker accepts any client.
 */
final class IotPolicies {
    private IotPolicies() {
    }

    static void createAll(SamTemplate template) {
        try (IotClient iot = Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build()) {
            template.root().path("Resources").properties().forEach(e -> {
                if ("AWS::IoT::Policy".equals(e.getValue().path("Type").asText())) {
                    String document = Json.write(e.getValue().path("Properties").path("PolicyDocument"));
                    try {
                        iot.createPolicy(p -> p.policyName(e.getKey()).policyDocument(document));
                    } catch (ResourceAlreadyExistsException alreadyThere) {
                        // Another run against the same endpoint created it.
                    }
                }
            });
        }
    }
}
