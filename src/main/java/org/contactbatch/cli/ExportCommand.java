package org.contactbatch.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.contactbatch.contacts.ContactFilters;
import org.contactbatch.contacts.ContactLookups;
import org.contactbatch.contacts.IdsFile;
import org.contactbatch.export.ExportColumn;
import org.contactbatch.export.ExportFormat;
import org.contactbatch.export.ExportOptions;
import org.contactbatch.export.ExportRequests;
import org.contactbatch.jobs.JobRequest;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Writes the contacts you select to a CSV or XLSX file, ready to edit and bring back.",
                "Filters combine: a contact must match every one given; with none, every contact is exported. "
                        + "The file starts with the columns id and version, so an edited sheet can come back "
                        + "through the re-import by ID.",
                "Interrupted? Give the same command again (or 'jobs restart ID'): it continues where it stopped, "
                        + "and the file appears under its name only when it is complete."})
public class ExportCommand implements Callable<Integer>, JobCommand {

    @ParentCommand
    private RootCommand root;

    @Option(names = "--list", paramLabel = "NAME", description = "members of this list")
    private String list;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "lifecycle stage: subscriber, lead, prospect, customer, member or inactive")
    private String stage;

    @Option(names = "--owner", paramLabel = "OWNER", description = "contacts of this owner")
    private String owner;

    @Option(names = "--tag", paramLabel = "TAG", description = "contacts with this tag")
    private String tag;

    @Option(names = "--group", paramLabel = "GROUP", description = "contacts in this group")
    private String group;

    @Option(names = "--consent", paramLabel = "STATE",
            description = "consent state: confirmed, unconfirmed, pending, opted_out, or none (no consent recorded)")
    private String consent;

    @Option(names = "--active", paramLabel = "true|false", description = "active contacts, or inactive ones")
    private String active;

    @Option(names = "--updated-since", paramLabel = "DATE",
            description = "changed at or after this date (2026-03-01) or time (2026-03-01T14:30, local unless it "
                    + "has an offset such as Z or +02:00)")
    private String updatedSince;

    @Option(names = "--ids", paramLabel = "FILE", description = "exactly the contacts whose IDs this file lists, one per line")
    private Path ids;

    @Option(names = "--format", paramLabel = "csv|xlsx",
            description = "the file's format (default: from --out's extension, else csv)")
    private String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "the file to write (default: exports/contacts-<execution id>.<format>)")
    private Path out;

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
            description = "the columns after id and version, in this order, e.g. email,first_name,last_name,"
                    + "custom:member_number (default: every field an upload reads, then the custom fields)")
    private List<String> columns = new ArrayList<>();

    @Option(names = "--delimiter", paramLabel = "C", description = "CSV delimiter: , ; | or tab (default: ,)")
    private String delimiter;

    @Option(names = "--no-bom", description = "no byte order mark at the start of the CSV")
    private boolean noBom;

    @Option(names = "--overwrite", description = "replace the --out file if it exists")
    private boolean overwrite;

    @Mixin
    private ByOption who;

    @Mixin
    private OutputOptions output;

    @Override
    public Integer call() throws Exception {
        CliContext context = root.context();
        ExportOptions options = options(context);
        output.showProgress(context);
        // who asks is no part of the request: an interrupted export given again by someone else continues it
        JobParameters parameters = new JobParametersBuilder(context.bean(ExportRequests.class).parametersFor(options))
                .addString("by", who.by, false).toJobParameters();
        return SummaryPrinter.report(context, context.run(new JobRequest(ExportOptions.JOB_NAME, parameters)),
                output.json);
    }

    private ExportOptions options(CliContext context) {
        Path file = out == null ? null : out.toAbsolutePath().normalize();
        ExportFormat chosen = format != null
                ? ExportFormat.parse(format).orElseThrow(() -> new UsageException("--format must be csv or xlsx (got '"
                        + format + "')"))
                : file != null ? ExportFormat.forFile(file) : ExportFormat.CSV;
        if (chosen == ExportFormat.XLSX && (delimiter != null || noBom)) {
            throw new UsageException("--delimiter and --no-bom are for CSV files; a workbook has neither");
        }
        if (file != null) {
            if (Files.isDirectory(file)) {
                throw new UsageException("--out " + out + " is a folder; give a file name");
            }
            if (Files.exists(file) && !overwrite) {
                throw new UsageException(out + " exists; add --overwrite to replace it, or choose another --out");
            }
            Path folder = existingAncestor(file.getParent());
            if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
                throw new UsageException("--out " + out + ": cannot write in " + (folder == null ? file.getParent() : folder));
            }
        }
        IdsFile.Read idList = null;
        Path idsFile = null;
        if (ids != null) {
            idsFile = ids.toAbsolutePath().normalize();
            idList = IdsFile.read(idsFile);
        }
        ContactFilters filters = new ContactFilters(blankToNull(list),
                stage == null ? null : ContactFilters.stage(stage),
                blankToNull(owner), blankToNull(tag), blankToNull(group),
                consent == null ? null : ContactFilters.consent(consent),
                active == null ? null : ContactFilters.active(active),
                updatedSince == null ? null : ContactFilters.since(updatedSince, ZoneId.systemDefault()),
                idsFile != null);
        ContactLookups lookups = context.bean(ContactLookups.class);
        if (filters.list() != null && !lookups.listExists(filters.list())) {
            List<String> known = lookups.listNames(20);
            throw new UsageException("there is no list '" + filters.list() + "'" + (known.isEmpty()
                    ? " (there are no lists yet)" : " (lists: " + String.join(", ", known) + ")"));
        }
        List<String> keys = ExportColumn.canonical(columns, lookups::customFieldInUse);
        return new ExportOptions(chosen, file, keys, delimiter(), !noBom, overwrite, filters, idsFile,
                idList == null ? null : idList.sha256(), null);
    }

    private char delimiter() {
        return delimiter == null ? ',' : FileReadOptions.delimiter(delimiter);
    }

    /** The folder itself, or the nearest of its parents that exists (the export creates the rest). */
    private static Path existingAncestor(Path folder) {
        Path p = folder;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
