package org.contactbatch.contacts;

/**
 * North American numbers in the handful of shapes people write them, turned into E.164 without
 * libphonenumber: parsing a number with it costs a quarter of an upload's row work (a dozen regular
 * expressions a number), and these shapes are most of the phones of a North American file. Only a
 * shape whose outcome is certain is taken here — ten digits with an area code that starts with 2–9,
 * so no national prefix or international call prefix can be read into it, which libphonenumber
 * finds possible for region US and formats as +1 and the ten digits; anything else (another
 * region, other punctuation, an extension written otherwise) is libphonenumber's.
 * {@code NanpPhonesTest} holds the two to the same answers.
 */
final class NanpPhones {

    private NanpPhones() {
    }

    /**
     * {@code +1NNNNNNNNNN} for {@code (NNN) NNN-NNNN}, {@code NNN-NNN-NNNN}, {@code NNN.NNN.NNNN},
     * each optionally after {@code +1 } (or {@code 1-} before the dashed form), {@code +1NNNNNNNNNN},
     * and any of them followed by an extension {@code  xN…} of up to six digits; null for any
     * other text.
     */
    static String e164(String phone) {
        int n = phone.length();
        int i = 0;
        boolean countryCode = false;
        boolean trunk = false;
        if (n > 2 && phone.charAt(0) == '+' && phone.charAt(1) == '1') {
            countryCode = true;
            i = 2;
            if (phone.charAt(i) == ' ') {
                i++;
            }
        }
        else if (n > 2 && phone.charAt(0) == '1' && phone.charAt(1) == '-') {
            trunk = true;
            i = 2;
        }
        char[] digits = new char[12];
        digits[0] = '+';
        digits[1] = '1';
        int end;
        if (i < n && phone.charAt(i) == '(') {
            // (NNN) NNN-NNNN
            if (trunk || !digits(phone, i + 1, 3, digits, 2) || !at(phone, i + 4, ')') || !at(phone, i + 5, ' ')
                    || !digits(phone, i + 6, 3, digits, 5) || !at(phone, i + 9, '-')
                    || !digits(phone, i + 10, 4, digits, 8)) {
                return null;
            }
            end = i + 14;
        }
        else if (countryCode && i == 2 && digits(phone, i, 10, digits, 2)) {
            // +1NNNNNNNNNN
            end = i + 10;
        }
        else {
            // NNN-NNN-NNNN or NNN.NNN.NNNN
            if (!digits(phone, i, 3, digits, 2) || i + 3 >= n) {
                return null;
            }
            char separator = phone.charAt(i + 3);
            if ((separator != '-' && separator != '.') || (trunk && separator != '-')
                    || !digits(phone, i + 4, 3, digits, 5) || !at(phone, i + 7, separator)
                    || !digits(phone, i + 8, 4, digits, 8)) {
                return null;
            }
            end = i + 12;
        }
        if (digits[2] < '2' || !extension(phone, end)) {
            return null;
        }
        return new String(digits);
    }

    /** Nothing after the number, or " x" and one to six digits. */
    private static boolean extension(String phone, int from) {
        int n = phone.length();
        if (from == n) {
            return true;
        }
        int count = n - from - 2;
        if (count < 1 || count > 6 || phone.charAt(from) != ' ' || phone.charAt(from + 1) != 'x') {
            return false;
        }
        for (int i = from + 2; i < n; i++) {
            if (!ascii(phone.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code count} ASCII digits at {@code from}, copied into {@code out} at {@code at}. */
    private static boolean digits(String phone, int from, int count, char[] out, int at) {
        if (from + count > phone.length()) {
            return false;
        }
        for (int k = 0; k < count; k++) {
            char c = phone.charAt(from + k);
            if (!ascii(c)) {
                return false;
            }
            out[at + k] = c;
        }
        return true;
    }

    private static boolean at(String phone, int index, char expected) {
        return index < phone.length() && phone.charAt(index) == expected;
    }

    private static boolean ascii(char c) {
        return c >= '0' && c <= '9';
    }
}
