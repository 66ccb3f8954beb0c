package org.speechwb.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MatrixViewsTest {

    @Test
    void viewsAreTheMatricesInOrderAndAreReusedForTheSameArenaBuffer() {
        Arena arena = new Arena(DataType.FLOAT);
        INDArray x = arena.get("x", 3, 2, 4, 5);
        for (int i = 0; i < x.length(); i++) {
            x.data().put(i, i);
        }
        MatrixViews views = new MatrixViews();
        INDArray[] m = views.of(arena.get("x", 3, 2, 4, 5).slice(1));
        assertEquals(2, m.length);
        assertEquals(x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(1)),
                m[1]);
        assertEquals(1 * 40 + 1 * 20 + 2 * 5 + 3, m[1].getFloat(2, 3), 0);
        // the next update asks again through a new view object of the same buffer: no rebuild
        assertSame(m, views.of(arena.get("x", 3, 2, 4, 5).slice(1)));
        // another offset, another shape: rebuilt, and still right
        INDArray[] other = views.of(arena.get("x", 3, 2, 4, 5).slice(2));
        assertNotSame(m, other);
        assertEquals(2 * 40 + 3, other[0].getFloat(0, 3), 0);
        assertEquals(6, views.of(arena.get("x", 3, 2, 4, 5).reshape('c', 6, 4, 5)).length);
    }
}
