package org.contactbatch.upload;

import java.util.ArrayList;
import java.util.List;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.files.RawRow;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;
import org.contactbatch.imports.RowRejectedException;
import org.contactbatch.imports.StagedContact;
import org.contactbatch.reports.RowIssue;
import org.springframework.stereotype.Service;

/**
 * Uploads for the command line and the console alike. The preview runs the first rows through the
 * very row rules the job stages with, so what a dry run shows is what the upload will store.
 */
@Service
public class UploadService {

    /** One previewed row: the contact as it would be stored, or the problems it would be rejected for. */
    public record PreviewRow(long line, StagedContact contact, List<RowIssue> rejected) {
    }

    private final ContactBatchProperties properties;

    public UploadService(ContactBatchProperties properties) {
        this.properties = properties;
    }

    /** The file's first rows, mapped with {@code mapping}, as the upload would stage them; nothing is written. */
    public List<PreviewRow> preview(UploadOptions options, ColumnMapping mapping, int rows) {
        UploadRowProcessor processor = new UploadRowProcessor(mapping, options.consent(),
                properties.defaultPhoneRegion());
        List<PreviewRow> preview = new ArrayList<>();
        try (RowSource source = TabularFiles.open(options.file(), options.readOptions())) {
            for (RawRow row; preview.size() < rows && (row = source.next()) != null; ) {
                try {
                    preview.add(new PreviewRow(row.line(), processor.process(row), List.of()));
                }
                catch (RowRejectedException rejected) {
                    preview.add(new PreviewRow(row.line(), null, rejected.issues()));
                }
            }
        }
        return preview;
    }
}
