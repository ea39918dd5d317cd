package org.contactbatch.files;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Guesses the field delimiter from the first records of a text file: the candidate that splits every sampled record
 * into the same number (more than one) of fields wins. A semicolon file with decimal commas, or a comma file with a
 * stray semicolon in a note, still comes out right because only one of them is consistent.
 */
final class DelimiterSniffer {

    private static final char[] CANDIDATES = {',', ';', '\t', '|'};
    private static final int SAMPLE_RECORDS = 50;

    private DelimiterSniffer() {
    }

    /**
     * @param text     the start of the file, decoded
     * @param complete the text is the whole file, so its last record is complete even without a line break
     */
    static char sniff(String text, boolean complete) {
        char best = ',';
        double[] bestScore = {0, 0, 1};
        for (char candidate : CANDIDATES) {
            List<Integer> counts = fieldCounts(text, candidate, complete);
            if (counts.isEmpty()) {
                continue;
            }
            int mode = mode(counts);
            if (mode <= 1) {
                continue;
            }
            long matching = counts.stream().filter(c -> c == mode).count();
            double[] score = {matching == counts.size() ? 1 : 0, (double) matching / counts.size(), mode};
            if (better(score, bestScore)) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    private static boolean better(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return a[i] > b[i];
            }
        }
        return false;
    }

    /** The most common field count; ties go to the larger count. */
    private static int mode(List<Integer> counts) {
        Map<Integer, Integer> frequency = new HashMap<>();
        counts.forEach(c -> frequency.merge(c, 1, Integer::sum));
        int mode = 0;
        int modeFrequency = 0;
        for (Map.Entry<Integer, Integer> e : frequency.entrySet()) {
            if (e.getValue() > modeFrequency || e.getValue() == modeFrequency && e.getKey() > mode) {
                mode = e.getKey();
                modeFrequency = e.getValue();
            }
        }
        return mode;
    }

    /**
     * Fields per record, following the parser's quoting rules closely enough for counting: a quote opens a quoted
     * field only at the start of a field, and line breaks inside quotes do not end the record.
     */
    static List<Integer> fieldCounts(String text, char delimiter, boolean complete) {
        List<Integer> counts = new ArrayList<>();
        int fields = 1;
        boolean inRecord = false;
        boolean fieldStart = true;
        boolean quoted = false;
        int length = text.length();
        for (int i = 0; i < length && counts.size() < SAMPLE_RECORDS; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < length && text.charAt(i + 1) == '"') {
                        i++;
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == '\r' || c == '\n') {
                if (inRecord) {
                    counts.add(fields);
                }
                fields = 1;
                inRecord = false;
                fieldStart = true;
            } else if (c == delimiter) {
                fields++;
                inRecord = true;
                fieldStart = true;
            } else if (c == '"' && fieldStart) {
                quoted = true;
                inRecord = true;
                fieldStart = false;
            } else if (!Character.isWhitespace(c)) {
                inRecord = true;
                fieldStart = false;
            }
        }
        if (complete && inRecord && !quoted && counts.size() < SAMPLE_RECORDS) {
            counts.add(fields);
        }
        return counts;
    }
}
