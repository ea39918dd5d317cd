package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one pull is asked to do. Travels as one job parameter, so a restarted pull does exactly the same; giving
 * the same command again finds the unfinished run by it.
 *
 * @param profile      the saved profile whose contacts come here; null for the pull of unsubscribes alone (what
 *                     {@code cc pull} without a profile has always done)
 * @param since        where the first pull of the profile starts (an ISO-8601 instant); later pulls start where the
 *                     last completed one ended. Null when neither {@code --since} nor the profile says
 * @param customFields the profile's mapping, contact field (or custom field key here) → Constant Contact custom
 *                     field label, read the other way round
 * @param debugLog     write the run's debug log of requests (the profile's {@code debug-log}); not part of what
 *                     identifies the run, as for a push
 * @param fields       the profile's field mapping; null for the default ({@link FieldMap#defaults}), so the options of
 *                     pulls asked for before the mapping existed read as they were
 * @param twoWay       the profile's direction is both: a field changed on both sides since the last sync goes to the
 *                     newer edit, and the loser is reported; otherwise what the account holds comes here
 */
public record PullOptions(String profile, String since, Map<String, String> customFields, boolean debugLog,
        @JsonInclude(JsonInclude.Include.NON_NULL) FieldMap fields,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean twoWay) {

    public static final String UNSUBSCRIBES_ONLY = "pull";

    /** Options of a pull asked for before a switch existed have no value for it: they read as off. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(tools.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    public PullOptions {
        customFields = customFields == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
    }

    /** The pull of the unsubscribes alone. */
    public PullOptions(String profile, String since, Map<String, String> customFields, boolean debugLog) {
        this(profile, since, customFields, debugLog, null, false);
    }

    public static PullOptions of(SyncProfile profile, Instant since) {
        Instant start = since != null ? since : profile.since();
        return new PullOptions(profile.name(), start == null ? null : start.toString(), profile.options().customFields(),
                profile.options().debugLog(), profile.options().fields(), profile.direction() == SyncProfile.Direction.BOTH);
    }

    /** Which field goes which way: the profile's, or the default. */
    public FieldMap mapping() {
        return fields != null ? fields : FieldMap.defaults(customFields);
    }

    /** The {@code cc_sync_state} key of the account's {@code updated_at} the profile's last completed pull read up to. */
    public String watermarkKey() {
        return "pull." + profile + ".updated-after";
    }

    /** What names the run for locking: a profile's pull and push never overlap. */
    public String lockName() {
        return profile == null ? UNSUBSCRIBES_ONLY : "profile:" + profile;
    }

    /** The job parameter: the pull of unsubscribes alone keeps the value it always had, so its runs continue. */
    public String toParameter() {
        return profile == null ? UNSUBSCRIBES_ONLY
                : JsonMapper.shared().writeValueAsString(new PullOptions(profile, since, customFields, false, fields, twoWay));
    }

    public JobParameters toJobParameters(Instant requestedAt) {
        return DebugLogListener.switched(new JobParametersBuilder()
                .addString(PushOptions.OPTIONS, toParameter())
                .addString("run", requestedAt.toString())
                .toJobParameters(), debugLog);
    }

    /** An earlier run's parameters, continued with this request's debug log switch. */
    public JobParameters continuing(JobParameters earlier) {
        return DebugLogListener.switched(earlier, debugLog);
    }

    public static PullOptions from(JobParameters parameters) {
        String value = parameters.getString(PushOptions.OPTIONS);
        PullOptions options = value == null || value.equals(UNSUBSCRIBES_ONLY) ? new PullOptions(null, null, null, false)
                : JSON.readValue(value, PullOptions.class);
        return new PullOptions(options.profile(), options.since(), options.customFields(), DebugLogListener.on(parameters),
                options.fields(), options.twoWay());
    }
}
