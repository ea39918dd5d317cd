package org.contactbatch.constantcontact;

import org.contactbatch.support.Cli;
import org.springframework.context.ApplicationContext;

/** Runs the command line from tests in sub-packages: in the foreground, or in the background to read it as it goes. */
public final class CliAccess {

    private CliAccess() {
    }

    public static Cli.Result run(ApplicationContext context, String... args) {
        return new Cli(context).run(args);
    }

    public static Background start(ApplicationContext context, String... args) {
        return new Background(CliRun.start(context, args));
    }

    /** A command running in the background. */
    public static final class Background {
        private final CliRun run;

        Background(CliRun run) {
            this.run = run;
        }

        public String await(String regex, java.time.Duration timeout) throws InterruptedException {
            return run.await(regex, timeout);
        }

        public int exitCode(java.time.Duration timeout) throws Exception {
            return run.exitCode(timeout);
        }

        public String out() {
            return run.out();
        }

        public String err() {
            return run.err();
        }
    }
}
