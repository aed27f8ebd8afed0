package dev.fedlora.checkpoint;

import dev.fedlora.ranks.policies.BandwidthRanks;
import dev.fedlora.ranks.policies.DataQualityRanks;
import dev.fedlora.ranks.policies.FixedRanks;
import dev.fedlora.ranks.policies.QualityRanks;
import dev.fedlora.ranks.policies.RankTiers;
import dev.fedlora.strategy.flasc.FlascState;
import dev.fedlora.strategy.flasc.ServerAdam;
import dev.fedlora.strategy.flora.FloraState;
import dev.fedlora.strategy.flora.StackedModule;
import dev.fedlora.strategy.hetlora.PrunedRanks;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a checkpoint payload written before some of the classes it holds moved package: a class
 * (or a class nested in it) named in the stream by its old name is read as the class now holding
 * that name, whose fields are the same. The format version stays, since the bytes do not change.
 */
final class MovedClasses extends ObjectInputStream {
    /** Old binary name of each moved top-level class to its class now. */
    private static final Map<String, Class<?>> MOVED = new HashMap<>();

    static {
        movedFrom("dev.fedlora.engine", Checkpoint.class);
        movedFrom("dev.fedlora.client", FixedRanks.class, RankTiers.class, QualityRanks.class, BandwidthRanks.class,
                DataQualityRanks.class);
        movedFrom("dev.fedlora.strategy", FlascState.class, ServerAdam.class, PrunedRanks.class, FloraState.class,
                StackedModule.class);
    }

    private static void movedFrom(String oldPackage, Class<?>... classes) {
        for (Class<?> c : classes) MOVED.put(oldPackage + "." + c.getSimpleName(), c);
    }

    MovedClasses(InputStream in) throws IOException {
        super(in);
    }

    @Override
    protected ObjectStreamClass readClassDescriptor() throws IOException, ClassNotFoundException {
        ObjectStreamClass written = super.readClassDescriptor();
        String now = currentName(written.getName());
        if (now == null) return written;
        return ObjectStreamClass.lookup(Class.forName(now, false, MovedClasses.class.getClassLoader()));
    }

    /** The binary name {@code written} has now, or null if it did not move. */
    static String currentName(String written) {
        int nested = written.indexOf('$');
        String top = nested < 0 ? written : written.substring(0, nested);
        Class<?> moved = MOVED.get(top);
        return moved == null ? null : moved.getName() + (nested < 0 ? "" : written.substring(nested));
    }
}
