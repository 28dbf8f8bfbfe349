package com.example.inventory;

import dev.pave.core.Pave;
import dev.pave.grpc.PaveGrpc;

/** A Pave gRPC service with no methods of its own: health, reflection, metrics, tracing. */
public final class InventoryMain {

  private InventoryMain() {}

  public static void main(String[] args) {
    Pave.service("inventory").run(svc -> PaveGrpc.from(svc).server());
  }
}
