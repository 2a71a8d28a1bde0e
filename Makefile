# Targets that `sam build` runs (BuildMethod: makefile) to package each function from the
# Maven build at the repository root: https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/building-custom-runtimes.html
# Maven runs from the root because sibling modules (shared/) do not resolve inside a CodeUri.
MVN ?= mvn -q -B
JAVA_ENV = . infrastructure/jdk.sh

# $(1): the Maven module; $(2): its zip for this function when the module makes one per
# function (telemetry: each carries only the clients it uses), else the module's own.
# The HEIC decoder's WebAssembly, built from its pinned sources when they changed (infrastructure/heif/README.md).
define package_function
	infrastructure/heif/native/build.sh --if-stale
	$(JAVA_ENV) && $(MVN) package -DskipTests -pl functions/$(1) -am
	unzip -q -o functions/$(1)/target/$(or $(2),$(1)).zip -d "$(ARTIFACTS_DIR)"
endef

build-FeedbackFunction:
	$(call package_function,feedback)

build-BookingsFunction:
	$(call package_function,bookings)

build-BookingsEventsFunction:
	$(call package_function,bookings)

build-BookingsSweepFunction:
	$(call package_function,bookings)

build-ConsultationsFunction:
	$(call package_function,consultations)

build-TelemetryApiFunction:
	$(call package_function,telemetry,telemetry-api)

build-TelemetryIngestFunction:
	$(call package_function,telemetry,telemetry-ingest)

build-TelemetrySweepFunction:
	$(call package_function,telemetry,telemetry-sweep)

build-FeedbackSweepFunction:
	$(call package_function,feedback)

build-FeedbackAccountEventsFunction:
	$(call package_function,feedback,feedback-accounts)

build-FeedbackPhotosFunction:
	$(call package_function,feedback,feedback-photos)

build-BookingsAccountEventsFunction:
	$(call package_function,bookings)

build-ConsultationsSweepFunction:
	$(call package_function,consultations)

build-ConsultationsAccountEventsFunction:
	$(call package_function,consultations)

build-TelemetryAccountEventsFunction:
	$(call package_function,telemetry,telemetry-accounts)

build-MfaGuardFunction:
	$(call package_function,identity)

build-AccountsFunction:
	$(call package_function,accounts)

build-AccountsSweepFunction:
	$(call package_function,accounts)

build-NotificationsFunction:
	$(call package_function,notifications)

build-NotificationEventsFunction:
	$(call package_function,notifications)

build-NotificationDigestFunction:
	$(call package_function,notifications)

.PHONY: build-NotificationsFunction build-NotificationEventsFunction build-NotificationDigestFunction build-AccountsSweepFunction build-FeedbackFunction build-FeedbackSweepFunction build-BookingsFunction build-BookingsEventsFunction build-BookingsSweepFunction build-ConsultationsFunction build-TelemetryApiFunction build-TelemetryIngestFunction build-TelemetrySweepFunction build-MfaGuardFunction build-AccountsFunction build-FeedbackAccountEventsFunction build-FeedbackPhotosFunction build-BookingsAccountEventsFunction build-ConsultationsAccountEventsFunction build-ConsultationsSweepFunction build-TelemetryAccountEventsFunction
