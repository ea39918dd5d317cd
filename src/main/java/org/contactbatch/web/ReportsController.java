package org.contactbatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

import org.contactbatch.reports.JobReports;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * Report downloads. The address holds the report's id in {@code job_report} and nothing else; the
 * file is the one the database recorded for that id. An id the database does not know, anything
 * that is not an id, or a file gone from disk: 404 with an empty body.
 */
@Controller
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ReportsController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final MediaType XLSX = MediaType.parseMediaType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final JobReports reports;

    public ReportsController(JobReports reports) {
        this.reports = reports;
    }

    @GetMapping("/reports/{id}")
    public ResponseEntity<Resource> download(@PathVariable String id) throws IOException {
        long reportId;
        try {
            reportId = Ids.parse(id);
        }
        catch (NotFound e) {
            return ResponseEntity.notFound().build();
        }
        JobReports.Report report = reports.byId(reportId).orElse(null);
        if (report == null || !Files.isRegularFile(report.path(), LinkOption.NOFOLLOW_LINKS)) {
            return ResponseEntity.notFound().build();
        }
        InputStream in;
        long length;
        try {
            length = Files.size(report.path());
            in = Files.newInputStream(report.path());
        }
        catch (NoSuchFileException gone) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok()
                .contentType(mediaType(report.fileName()))
                .contentLength(length)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(report.fileName(), StandardCharsets.UTF_8).build()
                                .toString())
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .body(new InputStreamResource(in));
    }

    private static MediaType mediaType(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".xlsx")) {
            return XLSX;
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }
}
