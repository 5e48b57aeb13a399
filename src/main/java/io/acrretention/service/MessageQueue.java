package io.acrretention.service;

/**
 * A queue the run service sends to. In Azure a Storage queue whose messages the Functions host
 * delivers to the queue functions.
 */
public interface MessageQueue {
    String name();

    void send(String message);
}
