package org.contactbatch.upload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.contactbatch.contacts.ColumnMapping;
import org.contactbatch.contacts.ColumnTarget;
import org.contactbatch.contacts.MappingFile;
import org.contactbatch.files.FileDescription;
import org.contactbatch.files.RowSource;
import org.contactbatch.files.TabularFiles;

/**
 * What an upload will do with a file: how it reads and how its columns map. Built the same way
 * by the dry run, the command line's checks and every step of the job, so they always agree.
 */
public record UploadPlan(FileDescription file, ColumnMapping mapping) {

    /** Opens the file to learn its shape; throws FileProblemException when it can't be read. */
    public static UploadPlan of(UploadOptions options) {
        try (RowSource source = TabularFiles.open(options.file(), options.readOptions())) {
            return new UploadPlan(source.description(), mapping(source.header(), options));
        }
    }

    static ColumnMapping mapping(List<String> header, UploadOptions options) {
        Map<String, ColumnTarget> explicit = new LinkedHashMap<>();
        ColumnMapping.Unmapped unmapped = options.unmapped();
        if (options.mapping() != null) {
            MappingFile file = MappingFile.load(options.mapping());
            explicit.putAll(file.columns());
            unmapped = file.unmapped();
        }
        List<String> columns = options.columns();
        for (int i = 0; i < columns.size(); i++) {
            explicit.put(String.valueOf(i + 1), MappingFile.parseTarget(columns.get(i)));
        }
        return ColumnMapping.of(header, explicit, unmapped);
    }
}
