package org.territoire.feedback.photo;

import org.territoire.shared.http.Access;
import org.territoire.shared.http.ApiResponse;
import org.territoire.shared.http.Router;
import org.territoire.shared.identity.Role;

/**
 * The photo routes of the feedback function's route table (registered by FeedbackHandler):
 * residents and operators ask for an upload; the per-object checks (author, operator) are the
 * service's.
 */
public final class PhotoApiHandler {
    /** A report's author is a resident; its operators are providers, agents and admins. */
    static final Access UPLOADERS = Access.roles(Role.RESIDENT, Role.PROVIDER, Role.AGENT, Role.ADMIN);

    /** Moderation is the agents' (and admins'), as for evaluations. */
    static final Access MODERATORS = Access.roles(Role.AGENT, Role.ADMIN);

    private PhotoApiHandler() {
    }

    public static void register(Router router, PhotoService photos) {
        router.post("/reports/{reportId}/photos", UPLOADERS, r -> {
            var grant = photos.requestUpload(r.caller(), r.path("reportId"), r.body(PhotoService.NewPhoto.class));
            // The signature (and a session token) grant the upload: shown once, never kept in a replay.
            return ApiResponse.createdWithSecret(grant, "/reports/" + r.path("reportId") + "/photos",
                    "fields.x-amz-signature", "fields.x-amz-security-token");
        }).get("/reports/{reportId}/photos", Access.SIGNED_IN, r -> ApiResponse.ok(new Photos(photos.photos(r.caller(),
                r.path("reportId")))))
                .post("/reports/{reportId}/photos/{photoId}/hide", MODERATORS, r -> ApiResponse.ok(photos.hide(r.caller(),
                        r.path("reportId"), r.path("photoId"), r.body(PhotoService.HideCommand.class))))
                .post("/reports/{reportId}/photos/{photoId}/redact", MODERATORS, r -> ApiResponse.ok(photos.redact(r.caller(),
                        r.path("reportId"), r.path("photoId"), r.body(PhotoService.RedactCommand.class))));
    }

    /** {@code GET /reports/{id}/photos}. */
    record Photos(java.util.List<PhotoService.PhotoView> items) {
    }
}
