package org.contactbatch.imports;

import java.nio.file.Path;

import org.contactbatch.files.ReadOptions;

/** The file an import stages and how it is read: what the staging step needs of a mode's options. */
public interface ImportFile {

    Path file();

    ReadOptions readOptions();
}
