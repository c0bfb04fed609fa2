/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * optimus.asl - the ACPI an Optimus laptop's firmware gives its dGPU,
 * modelled for the test guest (tests/vm/prepare.d/15-optimus compiles it
 * with iasl and passes it with -acpitable): a power resource on the root
 * port (00:01.0, QEMU 7.2's \_SB.PCI0.S08) that the dGPU's device object
 * (01:00.0, S08.S00) lists in _PR0 and _PR3, so the guest kernel can put
 * the held dGPU in D3cold when it runtime-suspends and power it on again
 * to resume; _PS0/_PS3; and the NVIDIA Optimus _DSM (function 0x1A, power
 * control) that laptops carry. _ROM comes from gpuhelper's own SSDTs.
 * GPON is the power state, NON and NOFF count the transitions.
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
        Method (_DSM, 4, Serialized)
        {
            If ((Arg0 == ToUUID ("a486d8f8-0bda-471b-a72b-6042a6b5bee0")))
            {
                If ((Arg2 == Zero)) { Return (Buffer (0x04) { 0x01, 0x00, 0x00, 0x04 }) }
                If ((Arg2 == 0x1A)) { Return (Buffer (0x04) { 0x01, 0x00, 0x00, 0x01 }) }
            }
            Return (Buffer (One) { 0x00 })
        }
    }
}
