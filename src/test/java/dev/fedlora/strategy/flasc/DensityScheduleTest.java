package dev.fedlora.strategy.flasc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fedlora.config.StrategyConfig;
import dev.fedlora.strategy.flasc.DensitySchedule.Shape;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Densities from 0.5 in round 1 to 0.1 in round 5: progress p = 0, 1/4, 1/2, 3/4, 1. */
class DensityScheduleTest {
    private static void assertDensities(DensitySchedule schedule, double... expected) {
        for (int t = 1; t <= expected.length; t++) assertEquals(expected[t - 1], schedule.at(t), 1e-12, "round " + t);
    }

    @Test
    void linearStepsEvenly() {
        assertDensities(new DensitySchedule(Shape.LINEAR, 0.5, 0.1, 5), 0.5, 0.4, 0.3, 0.2, 0.1);
    }

    @Test
    void cosineFollowsHalfACosine() {
        // 0.1 + 0.4 (1 + cos(pi p)) / 2: cos(pi / 4) = 0.7071 gives 0.4414, cos(3 pi / 4) gives 0.1586
        assertDensities(new DensitySchedule(Shape.COSINE, 0.5, 0.1, 5),
                0.5, 0.4414213562373095, 0.3, 0.1585786437626905, 0.1);
    }

    @Test
    void endpointsAreExactAndHeldOutsideTheRounds() {
        DensitySchedule linear = new DensitySchedule(Shape.LINEAR, 0.5, 0.1, 5);

        assertEquals(0.1, linear.at(5));
        assertEquals(0.1, linear.at(9));
        assertEquals(0.5, linear.at(0));
        assertEquals(0.5, new DensitySchedule(Shape.COSINE, 0.5, 0.1, 1).at(1), "one round: the initial density");
    }

    @Test
    void constantIgnoresTheFinalDensity() {
        DensitySchedule constant = new DensitySchedule(Shape.CONSTANT, 0.5, 0.1, 5);

        assertDensities(constant, 0.5, 0.5, 0.5, 0.5, 0.5);
        assertTrue(constant.isConstant());
        assertTrue(new DensitySchedule(Shape.LINEAR, 0.3, 0.3, 5).isConstant());
        assertFalse(new DensitySchedule(Shape.LINEAR, 0.3, 0.2, 5).isConstant());
    }

    @Test
    void everyConfigNameIsAShape() {
        for (String name : StrategyConfig.SCHEDULES) assertEquals(name, Shape.named(name).name().toLowerCase(Locale.ROOT));
    }

    @Test
    void badDensitiesAndRoundsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DensitySchedule(Shape.LINEAR, 0, 0.1, 5));
        assertThrows(IllegalArgumentException.class, () -> new DensitySchedule(Shape.LINEAR, 0.5, 1.5, 5));
        assertThrows(IllegalArgumentException.class, () -> new DensitySchedule(Shape.LINEAR, 0.5, 0.1, -1));
    }
}
