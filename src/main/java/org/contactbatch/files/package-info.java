/**
 * File machinery shared by every job: recognise a contacts file by its content, stream its rows as
 * {@link org.contactbatch.files.RawRow}s with the line a person would look for, and write CSV that is safe to open
 * in a spreadsheet. Every file-level problem surfaces as a {@link org.contactbatch.files.FileProblemException} with
 * a one-line message.
 */
@NullMarked
package org.contactbatch.files;

import org.jspecify.annotations.NullMarked;
