package dev.fedlora.cluster;

import static dev.fedlora.cluster.ClusterRuns.OUT;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code jobs/fault-kill-resume.sh} with the small test base: a driver killed with SIGKILL after
 * round 3 leaves no _SUCCESS but its run lock; the same command takes the dead run's lock over,
 * resumes from the round-2 checkpoint and ends with metrics and adapters identical to an
 * undisturbed run, and no lock; a third run is a no-op. The script checks that itself; this test
 * checks the takeover line and the two output folders again so a failure names what differs.
 */
class KillResumeIT {
    private static final long TIMEOUT_SECONDS = 420;

    @Test
    void killedRunResumesToTheSameResults() throws Exception {
        killAndResume("fault-kill-resume");
    }

    /** FedSA-LoRA, whose clients keep their B in the run folder: the state files must match too. */
    @Test
    void killedFedSaRunResumesToTheSameResultsAndStates() throws Exception {
        ClusterRuns.Result r = killAndResume("fault-kill-resume-fedsa", "strategy.name=fedsa_lora",
                "clients.ranks.policy=fixed", "eval.clients=4");
        assertTrue(r.logText().contains("client states equal the reference's"), "states not compared:\n" + r.tail(30));
        ClusterRuns.assertSameFiles(OUT.resolve("fault-kill-resume-fedsa/reference/kill-resume/state"),
                OUT.resolve("fault-kill-resume-fedsa/killed/kill-resume/state"));
    }

    private ClusterRuns.Result killAndResume(String label, String... overrides) throws Exception {
        Path out = OUT.resolve(label);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("jobs/fault-kill-resume.sh", "--out",
                out.toString(), "model.base=\"" + TestData.smallBaseModel() + "\""));
        args.addAll(java.util.List.of(overrides));
        ClusterRuns.Result r = ClusterRuns.run(OUT.resolve(label + ".log"), TIMEOUT_SECONDS,
                ClusterRuns.command(args.toArray(String[]::new)));
        System.out.println(r.logText());
        r.assertSucceeded();
        assertTrue(r.logText().contains("the killed run's lock is left behind"), "no lock after the kill:\n" + r.tail(30));
        String rerun = Files.readString(out.resolve("killed.log"));
        rerun = rerun.substring(rerun.indexOf("----- rerun -----"));
        assertTrue(rerun.contains("taking over the stale run lock " + out.resolve("killed/kill-resume/_LOCK")),
                "the rerun did not take over the dead run's lock:\n" + rerun);
        assertTrue(rerun.contains("no longer exists on this host"), rerun);
        assertTrue(r.logText().contains("resuming from the checkpoint"), "the rerun did not resume:\n" + r.tail(30));
        assertFalse(Files.exists(out.resolve("killed/kill-resume/_LOCK")), "the resumed run released its lock");
        ClusterRuns.assertSameResults("undisturbed run", out.resolve("reference/kill-resume"),
                "killed and resumed run", out.resolve("killed/kill-resume"));
        return r;
    }
}
