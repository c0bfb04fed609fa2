/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * optimus.asl - the ACPI an Optimus laptop's firmware gives its dGPU,
 * modelled for the test guest (tests/vm/prepare.d/15-optimus compiles it
 * with iasl and passes it with -acpitable): a power resource on the root
 * port (00:01.0, QEMU 7.2's \_SB.PCI0.S08) that the dGPU's device object
 * (01:00.0, S08.S00) lists in _PR0 and _PR3, so the guest kernel can put
 * the held dGPU in D3cold when it runtime-suspends and power it on again
 * to resume; and _PS0/_PS3. _ROM comes from gpuhelper's own SSDTs. The
 * NVIDIA Optimus _DSM (function 0x1A, power control) that laptops carry
 * cannot be modelled here: QEMU's own S00 has a _DSM (ACPI PCI hotplug)
 * and a second one is refused (AE_ALREADY_EXISTS, the whole table with
 * it). GPON is the power state, NON and NOFF count the transitions.
 */
DefinitionBlock ("", "SSDT", 2, "GPUHLP", "OPTIMUS", 0x00000001)
{
    External (\_SB.PCI0.S08, DeviceObj)
    External (\_SB.PCI0.S08.S00, DeviceObj)

    Scope (\_SB.PCI0.S08)
    {
        Name (GPON, One)
        Name (NOFF, Zero)
        Name (NON, Zero)
        PowerResource (PGPR, 0, 0)
        {
            Method (_STA, 0, NotSerialized) { Return (GPON) }
            Method (_ON, 0, NotSerialized) { GPON = One
                NON++ }
            Method (_OFF, 0, NotSerialized) { GPON = Zero
                NOFF++ }
        }
    }

    Scope (\_SB.PCI0.S08.S00)
    {
        Name (_PR0, Package (0x01) { \_SB.PCI0.S08.PGPR })
        Name (_PR3, Package (0x01) { \_SB.PCI0.S08.PGPR })
        Name (PSTA, Zero)
        Method (_PS0, 0, NotSerialized) { PSTA = Zero }
        Method (_PS3, 0, NotSerialized) { PSTA = 0x03 }
    }
}
