package org.contactbatch.contacts;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The contact fields a file column can map to, with the longest value each may hold (Constant
 * Contact's limits, so whatever we accept can be pushed there) and the header words people use
 * for it in the files they really have.
 */
public enum ContactField {

    EMAIL("email", 80, "e-mail", "email address", "e-mail address", "mail", "email 1", "primary email", "work email"),
    PHONE("phone", 25, "phone number", "phone 1", "telephone", "tel", "mobile", "mobile phone", "cell", "cell phone",
            "work phone", "home phone", "primary phone"),
    FIRST_NAME("first_name", 50, "first name", "firstname", "given name", "forename", "first"),
    LAST_NAME("last_name", 50, "last name", "lastname", "surname", "family name", "last"),
    COMPANY("company", 50, "company name", "organization", "organisation", "organization name", "employer",
            "business", "business name", "account name"),
    JOB_TITLE("job_title", 50, "job title", "title", "position", "role", "job"),
    STREET("street", 255, "address", "street address", "address 1", "address line 1", "address1", "street 1"),
    CITY("city", 50, "town", "town/city", "locality"),
    REGION("region", 50, "state", "province", "county", "state/province", "state or province"),
    POSTAL_CODE("postal_code", 50, "zip", "zip code", "zipcode", "postcode", "post code", "postal code",
            "zip/postal code"),
    COUNTRY("country", 50, "country name", "country/region"),
    LIFECYCLE_STAGE("lifecycle_stage", 50, "lifecycle stage", "lifecycle", "stage"),
    OWNER("owner", 80, "contact owner", "account owner", "assigned to"),
    LEGAL("legal", 5, "legal basis", "is legal"),
    GROUPS("groups", 1000, "group", "groups", "segments"),
    TAGS("tags", 1000, "tag", "labels"),
    CONSENT("consent", 20, "consent state", "permission", "email permission", "opt in", "opt-in", "subscribed");

    private static final Map<String, ContactField> BY_HEADER = new HashMap<>();

    static {
        for (ContactField field : values()) {
            BY_HEADER.put(headerKey(field.key), field);
            for (String synonym : field.synonyms) {
                BY_HEADER.put(headerKey(synonym), field);
            }
        }
    }

    private final String key;
    private final int maxLength;
    private final List<String> synonyms;

    ContactField(String key, int maxLength, String... synonyms) {
        this.key = key;
        this.maxLength = maxLength;
        this.synonyms = List.of(synonyms);
    }

    /** The field's name in mapping files, reports and on the command line. */
    public String key() {
        return key;
    }

    public int maxLength() {
        return maxLength;
    }

    /** The field a header names, forgiving case, spaces and punctuation ("E-mail", "Zip Code", "GIVEN_NAME"). */
    public static Optional<ContactField> forHeader(String header) {
        return Optional.ofNullable(BY_HEADER.get(headerKey(header)));
    }

    /** The field for a key as written in a mapping file or on the command line. */
    public static Optional<ContactField> forKey(String key) {
        return forHeader(key);
    }

    /** Lower case letters and digits only: "E-Mail Address " and "email_address" compare equal. */
    public static String headerKey(String header) {
        StringBuilder key = new StringBuilder(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                key.append(Character.toLowerCase(c));
            }
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }
}
