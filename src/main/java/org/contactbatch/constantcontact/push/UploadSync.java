package org.contactbatch.constantcontact.push;

import java.nio.file.Files;
import java.nio.file.Path;

import org.contactbatch.config.ContactBatchProperties;
import org.contactbatch.constantcontact.ConstantContactProperties;
import org.contactbatch.jobs.JobRunner;
import org.springframework.stereotype.Service;

/**
 * {@code upload --sync-constant-contact}: pushes the contacts an upload just created or updated, with the
 * managed list, group lists, custom fields and consent rule of a profile (by default
 * {@code contact-batch.constant-contact.default-profile}, else the defaults), but not its selection: the
 * upload's contacts are the selection. Nobody else is taken off the managed list by it.
 */
@Service
public class UploadSync {

    private final PushLauncher launcher;
    private final ContactBatchProperties properties;
    private final ConstantContactProperties constantContact;

    public UploadSync(PushLauncher launcher, ContactBatchProperties properties, ConstantContactProperties constantContact) {
        this.launcher = launcher;
        this.properties = properties;
        this.constantContact = constantContact;
    }

    /** @param profile a profile's name or file; null for the default profile */
    public JobRunner.Launch push(long uploadId, String profile) throws Exception {
        PushOptions base;
        if (profile != null) {
            base = SyncProfile.find(properties.jobsDir(), profile).options();
        }
        else {
            Path file = properties.jobsDir().resolve(constantContact.defaultProfile() + ".yml");
            base = Files.isRegularFile(file) ? SyncProfile.load(file).options()
                    : PushOptions.defaults();
        }
        return launcher.push(base.forUpload(uploadId));
    }
}
