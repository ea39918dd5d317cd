package org.contactbatch.sampledata;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.text.Normalizer;
import java.util.Locale;
import java.util.SplittableRandom;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Generates realistic, valid contacts deterministically from a seed and streams them to a CSV file
 * (UTF-8, comma separated, header row, LF line ends) in constant memory.
 *
 * <p>Every generated row passes the upload's row rules: a valid, file-unique email of at most 80
 * characters (the row number is part of the local part, so no two rows can ever collide), names,
 * company and job title of at most 50 characters, a phone with digits (at most 25 characters) or
 * none, and a known lifecycle stage. Only {@code example.*} domains are used. About 10% of rows
 * have no phone, about 5% no company.
 *
 * <pre>
 * java ... org.contactbatch.sampledata.ContactGenerator N OUTPUT_FILE [SEED]
 * </pre>
 */
public final class ContactGenerator {

    public static final String[] HEADERS = {
            "Email", "First Name", "Last Name", "Phone", "Company", "Job Title", "Street", "City", "State",
            "Postal Code", "Country", "Lifecycle Stage", "Owner", "Tags" };

    public static final long DEFAULT_SEED = 42L;

    /** One generated contact, fields in {@link #HEADERS} order. */
    public record Contact(String email, String firstName, String lastName, String phone, String company,
            String jobTitle, String street, String city, String state, String postalCode, String country,
            String lifecycleStage, String owner, String tags) {
    }

    // ------------------------------------------------------------------ names

    /** A naming tradition: given names and family names that belong together. */
    private record Culture(String[] first, String[] last, String[] firstSlug, String[] lastSlug) {
        static Culture of(String[] first, String[] last) {
            return new Culture(first, last, slugs(first), slugs(last));
        }
    }

    private static final Culture ENGLISH = Culture.of(
            new String[] { "James", "Mary", "Emily", "Michael", "Olivia", "Noah", "Sophia", "Liam", "Charlotte",
                    "Ethan", "Amelia", "Benjamin", "Harper", "Daniel", "Grace", "Oliver", "Chloe", "Jack", "Ella",
                    "Henry", "Zoë", "Renée", "Matthew", "Hannah", "Samuel", "Abigail", "Ryan", "Madison", "Tyler",
                    "Jessica", "Joshua", "Lauren", "Andrew", "Rebecca", "Christopher", "Mary-Kate", "Dylan",
                    "Brooke", "Nathaniel", "Evelyn" },
            new String[] { "Smith", "Johnson", "Williams", "Brown", "Jones", "Taylor", "Wilson", "Davies", "Evans",
                    "Thomas", "Walker", "Roberts", "Clarke", "Hughes", "Wright", "Robinson", "Thompson", "Carter",
                    "Bennett", "Hall", "Young", "King", "Anderson", "Mitchell", "Campbell", "Parker", "Morris",
                    "Cooper", "Ward", "Foster", "Bell", "Price", "Harrington-Smythe", "Whitfield", "St. John" });

    private static final Culture IRISH = Culture.of(
            new String[] { "Siobhán", "Seán", "Aoife", "Niamh", "Ciarán", "Pádraig", "Róisín", "Eoin", "Caoimhe",
                    "Declan", "Orla", "Cillian", "Saoirse", "Oisín", "Máire" },
            new String[] { "O'Brien", "O'Connor", "Murphy", "Kelly", "O'Sullivan", "McCarthy", "Byrne", "Ryan",
                    "Fitzgerald", "Ó Súilleabháin", "MacNamara", "O'Neill", "Doyle", "Gallagher", "Ní Bhriain" });

    private static final Culture SPANISH = Culture.of(
            new String[] { "José", "María", "Álvaro", "Lucía", "Andrés", "Sofía", "Javier", "Inés", "Joaquín",
                    "Camila", "Ramón", "Begoña", "Iñaki", "María José", "Valentina", "Mateo", "Ximena", "Raúl" },
            new String[] { "García", "Martínez", "López", "Hernández", "González", "Pérez", "Sánchez", "Ramírez",
                    "Núñez", "Fernández", "Ibáñez", "Muñoz", "Rodríguez de la Fuente", "Castillo", "Ortega",
                    "García Márquez", "Peña", "Vázquez" });

    private static final Culture FRENCH = Culture.of(
            new String[] { "François", "Françoise", "Hélène", "Élodie", "Loïc", "Gaëlle", "Jérôme", "Amélie",
                    "Théo", "Chloé", "Benoît", "Cécile", "Anaïs", "Noël", "Jean-Luc", "Marie-Claire", "Éric",
                    "Maëlys" },
            new String[] { "Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine", "Rousseau", "Lemaître", "Chevalier",
                    "Dupont", "Leroy", "Mercier", "Faure", "Duchêne", "Rivière", "d'Aubigné", "de La Rochefoucauld",
                    "Bézier", "Gauthier" });

    private static final Culture GERMAN = Culture.of(
            new String[] { "Jürgen", "Jörg", "Günther", "Käthe", "Lukas", "Anja", "Matthias", "Sabine", "Björn",
                    "Uwe", "Stefanie", "Maximilian", "Lena", "Sören", "Götz", "Ute", "Felix", "Jana" },
            new String[] { "Müller", "Schröder", "Schäfer", "Weiß", "Groß", "Köhler", "Becker", "Hoffmann",
                    "Krüger", "Fuchs", "Wagner", "Schmidt", "Meyer", "von Brünning", "Schmidt-Rötger", "Jäger",
                    "Zimmermann", "Bäumer" });

    private static final Culture NORDIC = Culture.of(
            new String[] { "Søren", "Åsa", "Bjørn", "Ingrid", "Magnus", "Sigrid", "Lærke", "Astrid", "Øystein",
                    "Mikael", "Freja", "Ásgeir", "Þóra", "Eero" },
            new String[] { "Ødegård", "Hansen", "Johansson", "Lindqvist", "Nørgaard", "Åberg", "Strøm",
                    "Karlsson", "Bjørnstad", "Halvorsen", "Guðmundsdóttir", "Virtanen", "Sørensen", "Lindgren" });

    private static final Culture VIETNAMESE = Culture.of(
            new String[] { "Minh", "Thảo", "Quỳnh", "Tuấn", "Hương", "Dũng", "Phương", "Anh", "Lan", "Đức" },
            new String[] { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Huỳnh" });

    private static final Culture CHINESE = Culture.of(
            new String[] { "Wei", "Jing", "Li Na", "Xiaoming", "Yan", "Hao", "Mei", "Jun", "Zhiwei", "Ying" },
            new String[] { "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou" });

    private static final Culture INDIAN = Culture.of(
            new String[] { "Priya", "Rahul", "Ananya", "Arjun", "Deepika", "Vikram", "Sneha", "Rohan", "Kavya",
                    "Aditya", "Lakshmi", "Sanjay" },
            new String[] { "Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Mukherjee", "Singh", "Chatterjee",
                    "Venkataraman", "Subramanian", "Desai" });

    private static final Culture SLAVIC = Culture.of(
            new String[] { "Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Paweł", "Zofia", "Đorđe", "Jiří",
                    "Tomáš", "Dušan", "Ivana", "Zuzana" },
            new String[] { "Kowalski", "Wiśniewska", "Dąbrowski", "Nowak", "Jovanović", "Novák", "Dvořák",
                    "Łuczak", "Petrović", "Szymańska", "Horvat", "Kovačević" });

    private static final Culture ARABIC = Culture.of(
            new String[] { "Mohammed", "Fatima", "Omar", "Layla", "Youssef", "Amira", "Karim", "Nour", "Hassan",
                    "Zainab" },
            new String[] { "Al-Sayed", "Haddad", "Khalil", "Mansour", "Nasser", "El-Amin", "Saleh", "Farouk",
                    "Abdel-Rahman", "Bou Khalil" });

    private static final Culture JAPANESE = Culture.of(
            new String[] { "Haruto", "Yui", "Sōta", "Aoi", "Ren", "Hina", "Takumi", "Sakura", "Kenji", "Yūko" },
            new String[] { "Satō", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Itō", "Yamamoto", "Nakamura",
                    "Kobayashi", "Katō" });

    private static final Culture WEST_AFRICAN = Culture.of(
            new String[] { "Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Folasade", "Kwame", "Amara",
                    "Tunde", "Chiamaka" },
            new String[] { "Okafor", "Adeyemi", "Okonkwo", "Balogun", "Mensah", "Eze", "Nwosu", "Abubakar",
                    "Oyelaran", "Osei" });

    private static final Culture[] ALL_CULTURES = { ENGLISH, IRISH, SPANISH, FRENCH, GERMAN, NORDIC,
            VIETNAMESE, CHINESE, INDIAN, SLAVIC, ARABIC, JAPANESE, WEST_AFRICAN };

    // ------------------------------------------------------------------ places

    /** A city with what goes with it: region, how its postal codes start, and its phone area codes. */
    private record City(String name, String region, String postalPrefix, String[] areaCodes) {
    }

    private static String[] a(String... values) {
        return values;
    }

    private static final City[] US_CITIES = {
            new City("New York", "NY", "100", a("212", "646", "917")),
            new City("Brooklyn", "NY", "112", a("718", "347")),
            new City("Boston", "MA", "021", a("617", "857")),
            new City("Cambridge", "MA", "021", a("617")),
            new City("Springfield", "MA", "011", a("413")),
            new City("Worcester", "MA", "016", a("508", "774")),
            new City("Providence", "RI", "029", a("401")),
            new City("Hartford", "CT", "061", a("860")),
            new City("Newark", "NJ", "071", a("973", "862")),
            new City("Portland", "ME", "041", a("207")),
            new City("Burlington", "VT", "054", a("802")),
            new City("San Francisco", "CA", "941", a("415", "628")),
            new City("Los Angeles", "CA", "900", a("213", "310", "323")),
            new City("Chicago", "IL", "606", a("312", "773")),
            new City("Seattle", "WA", "981", a("206")),
            new City("Austin", "TX", "787", a("512", "737")),
            new City("Denver", "CO", "802", a("303", "720")),
            new City("Miami", "FL", "331", a("305", "786")),
            new City("Atlanta", "GA", "303", a("404", "678")),
            new City("Philadelphia", "PA", "191", a("215", "267")) };

    private static final City[] UK_CITIES = {
            new City("London", "England", "SW1A", a("20 7946")),
            new City("London", "England", "EC1A", a("20 7946")),
            new City("London", "England", "N1", a("20 7946")),
            new City("London", "England", "E14", a("20 7946")),
            new City("Manchester", "England", "M1", a("161 496")),
            new City("Birmingham", "England", "B1", a("121 496")),
            new City("Leeds", "England", "LS1", a("113 496")),
            new City("Bristol", "England", "BS1", a("117 496")),
            new City("Edinburgh", "Scotland", "EH1", a("131 496")),
            new City("Glasgow", "Scotland", "G1", a("141 496")),
            new City("Liverpool", "England", "L1", a("151 496")),
            new City("Cardiff", "Wales", "CF10", a("29 2018")) };

    private static final City[] CA_CITIES = {
            new City("Toronto", "ON", "M5V", a("416", "647")),
            new City("Toronto", "ON", "M4C", a("416", "437")),
            new City("Vancouver", "BC", "V6B", a("604", "778")),
            new City("Montréal", "QC", "H2X", a("514", "438")),
            new City("Québec", "QC", "G1R", a("418")),
            new City("Ottawa", "ON", "K1P", a("613")),
            new City("Calgary", "AB", "T2P", a("403", "587")),
            new City("Halifax", "NS", "B3H", a("902")),
            new City("St. John's", "NL", "A1C", a("709")) };

    private static final City[] DE_CITIES = {
            new City("Berlin", "Berlin", "101", a("30")),
            new City("Berlin", "Berlin", "124", a("30")),
            new City("Dresden", "Sachsen", "010", a("351")),
            new City("Leipzig", "Sachsen", "041", a("341")),
            new City("Chemnitz", "Sachsen", "091", a("371")),
            new City("München", "Bayern", "803", a("89")),
            new City("Hamburg", "Hamburg", "200", a("40")),
            new City("Köln", "Nordrhein-Westfalen", "506", a("221")),
            new City("Düsseldorf", "Nordrhein-Westfalen", "402", a("211")),
            new City("Frankfurt am Main", "Hessen", "603", a("69")),
            new City("Stuttgart", "Baden-Württemberg", "701", a("711")) };

    private static final City[] FR_CITIES = {
            new City("Paris", "Île-de-France", "750", a("1 99 00")),
            new City("Lyon", "Auvergne-Rhône-Alpes", "6900", a("4 65 71")),
            new City("Bourg-en-Bresse", "Auvergne-Rhône-Alpes", "0100", a("4 65 71")),
            new City("Annecy", "Auvergne-Rhône-Alpes", "7400", a("4 65 71")),
            new City("Marseille", "Provence-Alpes-Côte d'Azur", "130", a("4 65 71")),
            new City("Toulouse", "Occitanie", "3100", a("5 36 49")),
            new City("Nantes", "Pays de la Loire", "4400", a("2 61 91")),
            new City("Lille", "Hauts-de-France", "5900", a("3 53 58")),
            new City("Strasbourg", "Grand Est", "6700", a("3 53 58")),
            new City("Ajaccio", "Corse", "2000", a("4 65 71")) };

    private static final String[] US_STREETS = { "Main Street", "Oak Avenue", "Maple Drive", "Elm St",
            "Washington Blvd", "Park Ave", "Cedar Lane", "Lakeview Road", "Sunset Boulevard", "Pine St",
            "Broadway", "Market Street", "Highland Ave", "Commonwealth Ave", "Harvard Street", "Mill Road" };
    private static final String[] US_UNITS = { "", "", "", "", "", ", Apt 4B", " Suite 210", ", Unit 12",
            " Fl 3", ", Apt. 1107" };
    private static final String[] UK_STREETS = { "High Street", "Station Road", "Church Lane", "Victoria Road",
            "King's Road", "Baker Street", "Mill Lane", "Queen's Parade", "Albert Embankment", "Park Terrace" };
    private static final String[] CA_STREETS = { "Queen Street West", "Yonge Street", "Bloor St E",
            "Granville Street", "Robson St", "Wellington Street", "Sparks Street", "Barrington Street" };
    private static final String[] QC_STREETS = { "rue Sainte-Catherine", "boulevard Saint-Laurent",
            "rue Saint-Jean", "avenue du Mont-Royal", "Grande Allée Est" };
    private static final String[] DE_STREETS = { "Hauptstraße", "Königstraße", "Am Mühlenbach",
            "Schillerstraße", "Goethestraße", "Bahnhofstraße", "Lindenallee", "Friedrichstraße",
            "Prager Straße", "Kurfürstendamm" };
    private static final String[] FR_STREETS = { "rue de la Paix", "avenue des Champs-Élysées",
            "boulevard Saint-Michel", "place Bellecour", "impasse des Lilas", "rue du Faubourg Saint-Honoré",
            "quai des Célestins", "chemin des Vignes" };
    private static final String UK_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
    private static final String CA_POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ";

    // ------------------------------------------------------------------ work

    private static final String[] COMPANY_WORDS = { "Northwind", "Contoso", "Fabrikam", "Globex", "Initech",
            "Acme", "Blue Harbor", "Pinecrest", "Silverline", "Brightwater", "Redwood", "Ironbridge", "Lakeside",
            "Summit", "Keystone", "Meridian", "Evergreen", "Atlas", "Horizon", "Riverstone", "Oakridge", "Cobalt",
            "Sterling", "Crescent", "Bluebird", "Granite", "Lumen", "Nordlicht", "Étoile", "Sonnenberg" };
    private static final String[] COMPANY_SECTORS = { "Analytics", "Logistics", "Consulting", "Health",
            "Software", "Foods", "Dental Care", "Architects", "Media", "Robotics", "Energy", "Textiles",
            "Insurance", "Events", "Publishing", "Biotech", "Outdoor Gear", "Coffee Roasters", "Legal Services",
            "Travel" };
    private static final String[] US_SUFFIXES = { "Inc.", "LLC", "Corp.", "Co.", "" };
    private static final String[] UK_SUFFIXES = { "Ltd", "PLC", "LLP", "Ltd." };
    private static final String[] CA_SUFFIXES = { "Inc.", "Ltd.", "Ltée", "Corp." };
    private static final String[] DE_SUFFIXES = { "GmbH", "AG", "GmbH & Co. KG", "e.K." };
    private static final String[] FR_SUFFIXES = { "SA", "SARL", "SAS", "" };
    private static final String[] SPECIAL_COMPANIES = { "Smith, Jones & Partners", "Müller & Söhne GmbH",
            "Boulangerie Lefèvre", "Café \"Le Petit Zinc\" SARL", "O'Reilly's Pub & Kitchen", "AT&T Test Lab",
            "Zürich Rückversicherung AG", "Ødegård Fiskeri AS", "Hôtel de l'Europe", "3M Example Division",
            "Dewey, Cheatem & Howe LLP", "The Green Grocer (Ltd)" };

    private static final String[] JOB_TITLES = { "Account Executive", "Chief Executive Officer", "VP, Sales",
            "Marketing Manager", "Software Engineer", "Senior Software Engineer", "Office Manager",
            "Head of Customer Success", "Director of Operations", "Product Manager", "HR Business Partner",
            "Data Analyst", "Procurement Lead", "Geschäftsführer", "Directrice commerciale", "Responsable marketing",
            "Teamleiter Vertrieb", "Owner", "Founder & CEO", "Head of R&D", "Customer Support Specialist",
            "Chief Financial Officer", "Events Coordinator", "Communications Officer",
            "Sales Development Representative", "SVP, Global Strategic Partnerships",
            "Volunteer", "Board Member", "Teacher", "Nurse Practitioner", "Student", "Retired", "Architect",
            "Barista", "Project Manager", "IT Administrator", "Chef de projet", "Consultant", "Buyer",
            "Executive Assistant to the CEO" };

    private static final String[] PERSONAL_DOMAINS = { "example.com", "example.org", "example.net",
            "mail.example.net", "mail.example.com", "post.example.org", "inbox.example.com" };

    private static final String[] OWNERS = { "alex.morgan@example.com", "priya.shah@example.com",
            "tom.becker@example.com", "claire.dubois@example.com", "sam.okafor@example.com" };

    private static final String[] STAGES = { "subscriber", "lead", "prospect", "customer", "member", "inactive" };
    private static final int[] STAGE_WEIGHTS = { 25, 25, 15, 20, 8, 7 };

    private enum Country {
        US("United States", US_CITIES, US_SUFFIXES, ENGLISH),
        UK("United Kingdom", UK_CITIES, UK_SUFFIXES, ENGLISH),
        CA("Canada", CA_CITIES, CA_SUFFIXES, ENGLISH),
        DE("Germany", DE_CITIES, DE_SUFFIXES, GERMAN),
        FR("France", FR_CITIES, FR_SUFFIXES, FRENCH);

        final String label;
        final City[] cities;
        final String[] suffixes;
        final Culture home;

        Country(String label, City[] cities, String[] suffixes, Culture home) {
            this.label = label;
            this.cities = cities;
            this.suffixes = suffixes;
            this.home = home;
        }
    }

    private static final Country[] COUNTRIES = Country.values();
    private static final int[] COUNTRY_WEIGHTS = { 45, 20, 12, 12, 11 };

    // ------------------------------------------------------------------ generator

    private final SplittableRandom random;
    private final StringBuilder buffer = new StringBuilder(128);

    public ContactGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * The next contact. {@code index} goes into the email's local part, so contacts made with distinct
     * indexes always have distinct emails, whatever the seed.
     */
    public Contact next(long index) {
        Country country = COUNTRIES[weighted(COUNTRY_WEIGHTS)];
        Culture culture = random.nextInt(100) < 45 ? (country == Country.UK && random.nextInt(4) == 0 ? IRISH
                : country == Country.CA && random.nextInt(4) == 0 ? FRENCH : country.home)
                : ALL_CULTURES[random.nextInt(ALL_CULTURES.length)];
        int fi = random.nextInt(culture.first.length);
        // one in ten people carry a family name from another tradition
        Culture lastCulture = random.nextInt(10) == 0 ? ALL_CULTURES[random.nextInt(ALL_CULTURES.length)] : culture;
        int li = random.nextInt(lastCulture.last.length);
        String firstName = culture.first[fi];
        String lastName = lastCulture.last[li];

        City city = country.cities[random.nextInt(country.cities.length)];
        String company = random.nextInt(100) < 5 ? "" : company(country, lastName);
        String email = email(culture.firstSlug[fi], lastCulture.lastSlug[li], company, index);
        String phone = random.nextInt(100) < 10 ? "" : phone(country, city);
        String jobTitle = random.nextInt(100) < 3 ? "" : JOB_TITLES[random.nextInt(JOB_TITLES.length)];
        String street = street(country, city);
        String postalCode = postalCode(country, city);
        String stage = STAGES[weighted(STAGE_WEIGHTS)];
        String owner = OWNERS[random.nextInt(OWNERS.length)];
        int t = random.nextInt(100);
        String tags = t < 70 ? "" : t < 85 ? "vip" : "newsletter;events";
        return new Contact(email, firstName, lastName, phone, company, jobTitle, street, city.name, city.region,
                postalCode, country.label, stage, owner, tags);
    }

    private int weighted(int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int r = random.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private String company(Country country, String lastName) {
        int kind = random.nextInt(100);
        String name;
        if (kind < 6) {
            name = SPECIAL_COMPANIES[random.nextInt(SPECIAL_COMPANIES.length)];
        }
        else if (kind < 16) {
            String partner = ENGLISH.last[random.nextInt(ENGLISH.last.length)];
            name = lastName + " & " + partner + (country == Country.DE ? " Rechtsanwälte" : " Associates");
        }
        else {
            String suffix = country.suffixes[random.nextInt(country.suffixes.length)];
            name = COMPANY_WORDS[random.nextInt(COMPANY_WORDS.length)] + " "
                    + COMPANY_SECTORS[random.nextInt(COMPANY_SECTORS.length)]
                    + (suffix.isEmpty() ? "" : " " + suffix);
        }
        // a long family name can push "X & Y Associates" past the 50-character limit: use the plain form then
        return name.length() <= 50 ? name : lastName + " Associates";
    }

    private String email(String first, String last, String company, long index) {
        StringBuilder b = buffer;
        b.setLength(0);
        switch (random.nextInt(6)) {
            case 0, 1 -> b.append(first).append('.').append(last);
            case 2 -> b.append(first.charAt(0)).append('.').append(last);
            case 3 -> b.append(first).append(last);
            case 4 -> b.append(first).append('_').append(last);
            default -> b.append(last).append('.').append(first);
        }
        if (b.length() > 40) {
            b.setLength(0);
            b.append(first.charAt(0)).append(last, 0, Math.min(last.length(), 30));
        }
        // the local part ends with letters, then the row index: the trailing digits are the index, so
        // two different indexes can never give the same address
        b.append(index).append('@');
        if (!company.isEmpty() && random.nextInt(3) == 0) {
            b.append(companyDomain(company)).append(".example.com");
        }
        else {
            b.append(PERSONAL_DOMAINS[random.nextInt(PERSONAL_DOMAINS.length)]);
        }
        return b.toString();
    }

    /** "Ironbridge Outdoor Gear Co." → "ironbridgeoutdoor": whole words, at most 20 letters. */
    private static String companyDomain(String company) {
        StringBuilder domain = new StringBuilder(20);
        for (String word : company.split("[\\s&,()\"]+")) {
            String part = slug(word);
            if (domain.length() > 0 && domain.length() + part.length() > 20) {
                break;
            }
            domain.append(part);
        }
        if (domain.length() > 20) {
            domain.setLength(20);
        }
        return domain.length() == 0 ? "work" : domain.toString();
    }

    private String digits(int count) {
        StringBuilder b = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    private String phone(Country country, City city) {
        String area = city.areaCodes[random.nextInt(city.areaCodes.length)];
        int f = random.nextInt(10);
        return switch (country) {
            case US, CA -> {
                // 555-0100 to 555-0199 is reserved for fiction
                String line = "01" + digits(2);
                yield switch (f) {
                    case 0, 1 -> "+1 " + area + "-555-" + line;
                    case 2, 3 -> "(" + area + ") 555-" + line;
                    case 4 -> area + "-555-" + line;
                    case 5 -> area + ".555." + line;
                    case 6 -> "+1 (" + area + ") 555-" + line;
                    case 7 -> "1-" + area + "-555-" + line;
                    case 8 -> "+1" + area + "555" + line;
                    default -> "(" + area + ") 555-" + line + " x" + (10 + random.nextInt(990));
                };
            }
            case UK -> {
                // Ofcom's drama ranges: 020 7946 0xxx, 0161 496 0xxx, ..., 07700 900xxx
                String line = "0" + digits(3);
                yield switch (f) {
                    case 0, 1, 2 -> "+44 " + area + " " + line;
                    case 3, 4, 5 -> "0" + area + " " + line;
                    case 6 -> "+44 (0)" + area + " " + line;
                    case 7 -> "07700 900" + digits(3);
                    default -> "+44 7700 900" + digits(3);
                };
            }
            case DE -> switch (f) {
                case 0, 1, 2 -> "+49 " + area + " " + digits(9 - area.length());
                case 3, 4, 5 -> "0" + area + " " + digits(9 - area.length());
                case 6 -> "+49 (0)" + area + " " + digits(3) + "-" + digits(4);
                case 7 -> "0151 " + digits(8);
                default -> "+49 1512 " + digits(7);
            };
            case FR -> {
                String line = digits(2) + " " + digits(2);
                yield switch (f) {
                    case 0, 1, 2, 3 -> "+33 " + area + " " + line;
                    case 4, 5, 6 -> "0" + area + " " + line;
                    case 7 -> "+33 (0)" + area + " " + line;
                    default -> "06 39 98 " + line;
                };
            }
        };
    }

    private String street(Country country, City city) {
        // long house numbers are a North American thing
        boolean northAmerica = country == Country.US || country == Country.CA;
        int number = 1 + random.nextInt(northAmerica && random.nextInt(8) == 0 ? 9999 : 180);
        return switch (country) {
            case US -> number + " " + US_STREETS[random.nextInt(US_STREETS.length)]
                    + US_UNITS[random.nextInt(US_UNITS.length)];
            case UK -> (random.nextInt(5) == 0 ? "Flat " + (1 + random.nextInt(20)) + ", " : "") + number + " "
                    + UK_STREETS[random.nextInt(UK_STREETS.length)];
            case CA -> "QC".equals(city.region)
                    ? number + ", " + QC_STREETS[random.nextInt(QC_STREETS.length)]
                    : number + " " + CA_STREETS[random.nextInt(CA_STREETS.length)];
            case DE -> DE_STREETS[random.nextInt(DE_STREETS.length)] + " " + number
                    + (random.nextInt(8) == 0 ? "a" : "");
            case FR -> number + (random.nextInt(10) == 0 ? " bis " : " ") + FR_STREETS[random.nextInt(FR_STREETS.length)];
        };
    }

    private String postalCode(Country country, City city) {
        String prefix = city.postalPrefix;
        return switch (country) {
            case US, DE, FR -> prefix + digits(5 - prefix.length());
            case UK -> prefix + " " + random.nextInt(10)
                    + UK_POSTCODE_LETTERS.charAt(random.nextInt(UK_POSTCODE_LETTERS.length()))
                    + UK_POSTCODE_LETTERS.charAt(random.nextInt(UK_POSTCODE_LETTERS.length()));
            case CA -> prefix + " " + random.nextInt(10)
                    + CA_POSTAL_LETTERS.charAt(random.nextInt(CA_POSTAL_LETTERS.length())) + random.nextInt(10);
        };
    }

    // ------------------------------------------------------------------ helpers

    private static String[] slugs(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = slug(names[i]);
            if (out[i].isEmpty()) {
                throw new IllegalStateException("no ASCII letters in " + names[i]);
            }
        }
        return out;
    }

    /** "Ødegård" → "odegard", "O'Brien" → "obrien", "Nguyễn" → "nguyen": ASCII lower-case letters only. */
    static String slug(String text) {
        String decomposed = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c >= 'a' && c <= 'z') {
                b.append(c);
            }
            else {
                switch (c) {
                    case 'ø' -> b.append('o');
                    case 'æ' -> b.append("ae");
                    case 'œ' -> b.append("oe");
                    case 'ß' -> b.append("ss");
                    case 'đ', 'ð' -> b.append('d');
                    case 'ł' -> b.append('l');
                    case 'þ' -> b.append("th");
                    case 'ı' -> b.append('i');
                    default -> {
                        // combining marks, spaces, apostrophes, hyphens, digits and the rest are dropped
                    }
                }
            }
        }
        return b.toString();
    }

    static CSVFormat csvFormat() {
        return CSVFormat.DEFAULT.builder().setHeader(HEADERS).setRecordSeparator("\n").get();
    }

    /** Writes {@code n} contacts (emails numbered 1..n) to {@code out}, UTF-8 with a header row. */
    public static void write(Path out, int n, long seed) {
        Path parent = out.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer writer = new BufferedWriter(
                    new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 16);
                    CSVPrinter printer = new CSVPrinter(writer, csvFormat())) {
                ContactGenerator generator = new ContactGenerator(seed);
                for (int i = 1; i <= n; i++) {
                    Contact c = generator.next(i);
                    printer.print(c.email());
                    printer.print(c.firstName());
                    printer.print(c.lastName());
                    printer.print(c.phone());
                    printer.print(c.company());
                    printer.print(c.jobTitle());
                    printer.print(c.street());
                    printer.print(c.city());
                    printer.print(c.state());
                    printer.print(c.postalCode());
                    printer.print(c.country());
                    printer.print(c.lifecycleStage());
                    printer.print(c.owner());
                    printer.print(c.tags());
                    printer.println();
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ContactGenerator N OUTPUT_FILE [SEED]");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        Path out = Paths.get(args[1]);
        long seed = args.length == 3 ? Long.parseLong(args[2]) : DEFAULT_SEED;
        long start = System.nanoTime();
        write(out, n, seed);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long bytes;
        try {
            bytes = Files.size(out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.printf(Locale.ROOT, "wrote %,d contacts to %s (%,d bytes) in %,d ms%n", n, out, bytes, millis);
    }
}
