package org.contactbatch.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class WarmRequestTests {

    @Test
    void aRequestArrivesAsItWasSentArgumentsWithSpacesEqualsAndNonAsciiIncluded() throws Exception {
        WarmRequest sent = new WarmRequest("/home/ann/contacts", true,
                List.of("upload", "Kontakte März.csv", "--spring.config.location=a=b", ""),
                Map.of("CONTACT_BATCH_HOME", "/srv/cb", "ODD", "x=y\nz"));
        WarmRequest received = WarmRequest.of(sent.bytes());
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void onlyTheFolderAndEnvironmentThisProcessHasMayRunHere() throws Exception {
        String[] args = {"jobs", "list"};
        WarmRequest here = WarmRequest.of(WarmRequest.here(args).bytes());
        assertThat(here.sameAsHere()).isTrue();
        assertThat(here.args()).containsExactly("jobs", "list");

        assertThat(new WarmRequest("/elsewhere", false, here.args(), here.environment()).sameAsHere()).isFalse();
        Map<String, String> other = new HashMap<>(here.environment());
        other.put("CONTACT_BATCH_HOME", "/another/home");
        assertThat(new WarmRequest(here.folder(), false, here.args(), other).sameAsHere()).isFalse();
        // what a shell sets anew for each program it starts is not sent
        assertThat(WarmRequest.here(args).environment()).doesNotContainKeys("_", "OLDPWD", "SHLVL");
    }
}
