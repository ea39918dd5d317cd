package org.contactbatch.export;

/**
 * Cell text as SpreadsheetML holds it. Markup characters become entities and line breaks and tabs character
 * references (XML readers would otherwise turn a CR into a LF). Characters XML cannot hold at all, such as
 * U+0001, are written as Office writes them, {@code _x0001_}, and an underscore that would otherwise read as the
 * start of such an escape becomes {@code _x005F_}: Excel and POI decode both, so every text comes back as it was.
 */
final class XmlText {

    private XmlText() {
    }

    static void escape(String s, StringBuilder out) {
        int length = s.length();
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            String replacement;
            if (c >= 0x20 && c != '<' && c != '>' && c != '&' && c != '"' && c != '_' && c < 0xFFFE) {
                continue;
            }
            switch (c) {
                case '<' -> replacement = "&lt;";
                case '>' -> replacement = "&gt;";
                case '&' -> replacement = "&amp;";
                case '"' -> replacement = "&quot;";
                case '\n' -> replacement = "&#xa;";
                case '\r' -> replacement = "&#xd;";
                case '\t' -> replacement = "&#x9;";
                case '_' -> {
                    if (!startsEscape(s, i)) {
                        continue;
                    }
                    replacement = "_x005F_";
                }
                default -> replacement = String.format("_x%04X_", (int) c);
            }
            out.append(s, plain, i).append(replacement);
            plain = i + 1;
        }
        out.append(s, plain, length);
    }

    /** "_x1234_" at {@code i}: the form Office reads as an escaped character. */
    private static boolean startsEscape(String s, int i) {
        if (i + 6 >= s.length() || s.charAt(i + 1) != 'x' || s.charAt(i + 6) != '_') {
            return false;
        }
        for (int k = i + 2; k < i + 6; k++) {
            if (Character.digit(s.charAt(k), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
