package org.contactbatch.constantcontact.push;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything one push is asked to do, from a saved profile, options, or both (options win for that run
 * only; the profile file never changes). They travel as one job parameter, so a restarted run does
 * exactly the same.
 *
 * @param profile         the saved profile's name, null for a run from options alone
 * @param managedList     the list that holds exactly the selected contacts
 * @param lifecycleStages select contacts in these lifecycle stages (empty: any)
 * @param lists           select members of these contact lists here (empty: any)
 * @param tags            select contacts with any of these tags (empty: any)
 * @param includeInactive also inactive contacts
 * @param consent         consent states that may be sent; others are skipped with NO_CONSENT
 * @param groupLists      which contact groups become Constant Contact lists: "all", "none", or the names
 * @param customFields    contact field (or custom field key here) → Constant Contact custom field label
 * @param uploadId        only the contacts of this upload (upload --sync-constant-contact)
 * @param idsFile         only the contacts whose ids this file lists (absolute; null for none)
 * @param idsSha256       that file's content hash when the run was asked for: a changed file is refused
 * @param updatedSince    only contacts changed here since then (an ISO-8601 instant; null for any)
 * @param exact           an exact run: the managed list is made to hold exactly the selection, so contacts
 *                        no longer selected are taken off it. Only a saved profile's whole selection (or
 *                        {@code --exact}) is exact; any other run is manual: it adds and updates the contacts it
 *                        selects and takes nobody off any list
 * @param dryRun          write the plan, change nothing
 * @param debugLog        write the run's debug log (every request's method, path, status and time) among its
 *                        reports. Never part of the JSON that identifies a run: switching it on to look into a run
 *                        that was interrupted continues that run, and switching it off again does not bring back
 *                        an older one; it travels as the non-identifying job parameter {@value #DEBUG_LOG}
 * @param fields          the profile's field mapping ({@code fields:}, and the directions of {@code custom-fields:});
 *                        null for the default ({@link FieldMap#defaults}), which keeps the options of runs asked for
 *                        before the mapping existed as they were, so those runs continue
 */
public record PushOptions(String profile, String managedList, List<String> lifecycleStages, List<String> lists,
        List<String> tags, boolean includeInactive, List<String> consent, List<String> groupLists,
        Map<String, String> customFields, Long uploadId, String idsFile, String idsSha256, String updatedSince,
        boolean exact, boolean dryRun, @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean debugLog,
        @JsonInclude(JsonInclude.Include.NON_NULL) FieldMap fields) {

    public static final String JOB_NAME = "ccPush";
    public static final String DEFAULT_MANAGED_LIST = "Active Members";
    public static final List<String> DEFAULT_CONSENT = List.of("confirmed", "unconfirmed");
    public static final String OPTIONS = "options";
    public static final String DEBUG_LOG = "debug-log";

    /** Options of a run asked for before a switch existed have no value for it: they read as off. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();

    public PushOptions {
        lifecycleStages = lower(lifecycleStages);
        lists = lists == null ? List.of() : List.copyOf(lists);
        tags = tags == null ? List.of() : List.copyOf(tags);
        consent = consent == null ? DEFAULT_CONSENT : lower(consent);
        groupLists = groupLists == null ? List.of("all") : List.copyOf(groupLists);
        customFields = customFields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(customFields));
        if (managedList == null || managedList.isBlank()) {
            managedList = DEFAULT_MANAGED_LIST;
        }
    }

    /** Without a debug log. */
    public PushOptions(String profile, String managedList, List<String> lifecycleStages, List<String> lists,
            List<String> tags, boolean includeInactive, List<String> consent, List<String> groupLists,
            Map<String, String> customFields, Long uploadId, String idsFile, String idsSha256, String updatedSince,
            boolean exact, boolean dryRun) {
        this(profile, managedList, lifecycleStages, lists, tags, includeInactive, consent, groupLists, customFields,
                uploadId, idsFile, idsSha256, updatedSince, exact, dryRun, false, null);
    }

    /** Which field goes which way: the profile's, or the default. */
    public FieldMap mapping() {
        return fields != null ? fields : FieldMap.defaults(customFields);
    }

    /** Options alone, nothing narrowed: Active Members, confirmed and unconfirmed, every group a list. */
    public static PushOptions defaults() {
        return new PushOptions(null, null, null, null, null, false, null, null, null, null, null, null, null, false,
                false);
    }

    /** What the summary and the sync log call this run. */
    public String kind() {
        return exact ? "exact" : "manual";
    }

    /** Every group becomes a list. */
    public boolean allGroups() {
        return groupLists.size() == 1 && groupLists.get(0).equalsIgnoreCase("all");
    }

    public boolean groupBecomesList(String group) {
        if (allGroups()) {
            return true;
        }
        if (groupLists.size() == 1 && groupLists.get(0).equalsIgnoreCase("none")) {
            return false;
        }
        return groupLists.stream().anyMatch(g -> g.equalsIgnoreCase(group));
    }

    /** What names a run for locking: runs of one profile, or onto one managed list, never overlap. */
    public String lockName() {
        return profile != null ? "profile:" + profile : "list:" + managedList.toLowerCase(Locale.ROOT);
    }

    /** The options that identify a run: all but the debug log. */
    public String toJson() {
        return JSON.writeValueAsString(withDebugLog(false));
    }

    public static PushOptions fromJson(String json) {
        return JSON.readValue(json, PushOptions.class);
    }

    /** A new run: the options identify it together with the time it was asked for. */
    public JobParameters toJobParameters(Instant requestedAt) {
        return DebugLogListener.switched(new JobParametersBuilder()
                .addString(OPTIONS, toJson())
                .addString("run", requestedAt.toString())
                .toJobParameters(), debugLog);
    }

    /** An earlier run's parameters, continued with this request's debug log switch. */
    public JobParameters continuing(JobParameters earlier) {
        return DebugLogListener.switched(earlier, debugLog);
    }

    public static PushOptions from(JobParameters parameters) {
        return fromJson(parameters.getString(OPTIONS)).withDebugLog(DebugLogListener.on(parameters));
    }

    public PushOptions withDryRun(boolean dry) {
        return new PushOptions(profile, managedList, lifecycleStages, lists, tags, includeInactive, consent, groupLists,
                customFields, uploadId, idsFile, idsSha256, updatedSince, exact, dry, debugLog, fields);
    }

    public PushOptions withDebugLog(boolean debug) {
        return new PushOptions(profile, managedList, lifecycleStages, lists, tags, includeInactive, consent, groupLists,
                customFields, uploadId, idsFile, idsSha256, updatedSince, exact, dryRun, debug, fields);
    }

    /** The contacts an upload created or updated, onto the profile's lists: a manual run. */
    public PushOptions forUpload(long upload) {
        return new PushOptions(profile, managedList, List.of(), List.of(), List.of(), true, consent, groupLists,
                customFields, upload, null, null, null, false, dryRun, debugLog, fields);
    }

    /**
     * Just the contacts an ids file lists (the console's ticked ones), onto the profile's lists with its fields and
     * consent rule: a manual run, which takes nobody off a list; inactive contacts are left out.
     */
    public PushOptions forIds(String idsFile, String idsSha256) {
        return new PushOptions(profile, managedList, List.of(), List.of(), List.of(), false, consent, groupLists,
                customFields, null, idsFile, idsSha256, null, false, dryRun, debugLog, fields);
    }

    private static List<String> lower(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).toList();
    }
}
