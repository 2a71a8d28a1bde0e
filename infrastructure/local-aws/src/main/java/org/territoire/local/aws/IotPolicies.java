package org.territoire.local.aws;

import org.territoire.shared.ddb.Aws;
import org.territoire.shared.json.Json;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;

/**
 * Creates each {@code AWS::IoT::Policy} of the template in the local endpoint, named by its
 * logical id (what {@code !Ref} gives locally), so that device registration can attach it.
 * Its {@code !Sub} strings are resolved as CloudFormation would (pseudo parameters, and
 * {@code ${!x}} to the literal {@code ${x}} that IoT reads as a policy variable), so the local
 * IoT Core evaluates the very document a certificate carries.
 */
public final class IotPolicies {
    /** moto's default account: the one its ARNs name. */
    public static final String ACCOUNT_ID = "123456789012";
    private IotPolicies() {
    }

    static void createAll(SamTemplate template) {
        try (IotClient iot = Aws.configure(IotClient.builder(), "IOT").httpClient(Aws.httpClient()).build()) {
            template.root().path("Resources").properties().forEach(e -> {
                if ("AWS::IoT::Policy".equals(e.getValue().path("Type").asText())) {
                    String document = resolve(Json.write(e.getValue().path("Properties").path("PolicyDocument")));
                    try {
                        iot.createPolicy(p -> p.policyName(e.getKey()).policyDocument(document));
                    } catch (ResourceAlreadyExistsException alreadyThere) {
                        // Another run against the same endpoint created it.
                    }
                }
            });
        }
    }

    /** {@code arn:aws:iot:<region>:<account>:}, the prefix of the local IoT resources' ARNs. */
    public static String arnPrefix() {
        return "arn:aws:iot:" + org.territoire.shared.config.Env.require("AWS_REGION") + ":" + ACCOUNT_ID + ":";
    }

    /** The ARN of a local IoT resource ({@code topic/a/b}, {@code client/id}, ...). */
    public static String arn(String resource) {
        return arnPrefix() + resource;
    }

    static String resolve(String document) {
        return document.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", org.territoire.shared.config.Env.require("AWS_REGION"))
                .replace("${AWS::AccountId}", ACCOUNT_ID).replace("${!", "${");
    }
}
